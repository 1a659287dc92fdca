// The demo's words.
#include "demo_output.hpp"

#include <unistd.h>

namespace dpp::demo {
namespace {

std::string styled(const char* code, const std::string& text) {
   static const bool terminal = ::isatty(STDOUT_FILENO) != 0;
   return terminal ? std::string("\033[") + code + "m" + text + "\033[0m" : text;
}

}  // namespace

std::string bold(const std::string& text) {
   return styled("1", text);
}
std::string green(const std::string& text) {
   return styled("32", text);
}
std::string red(const std::string& text) {
   return styled("31", text);
}
std::string dim(const std::string& text) {
   return styled("2", text);
}

void print_introduction(std::ostream& out, const DemoChoice& choice, const std::string& provider,
                        bool real_devpod, const std::string& devpod) {
   out << bold("dokploy-provider demo") << ": the whole DevPod lifecycle, with the provider driven "
       << (real_devpod ? "by DevPod itself.\n\n"
                       : "exactly as\nDevPod drives it (same environment variables, same shell, same status "
                         "rule, same Ctrl-C).\n\n")
       << "What runs here, and what does not:\n"
       << "  * " << provider << " and its plugins, from this build\n"
       << "  * the project's Dokploy emulator: a stand-in for Dokploy's HTTP API, "
       << bold("not a real Dokploy") << "\n"
       << "  * for each deploy, a real Debian 12 workspace in its own Linux namespaces (no Docker),\n"
       << "    running the provider's real bootstrap script and OpenSSH server\n";
   if (real_devpod)
      out << "  * DevPod: the " << devpod << ",\n"
          << "    with a throw-away DEVPOD_HOME; `devpod machine ssh` copies DevPod's agent into the\n"
          << "    workspace the first time\n";
   else
      out << "  * DevPod: the " << devpod << "\n"
          << "    (a small driver in this program plays DevPod's part; set DEVPOD_BIN to use a devpod)\n";
   out << "Everything stays on this machine: loopback addresses and namespaces the demo creates.\n\n"
       << "Workspace: service type " << bold(choice.service_type) << ", transport " << bold(choice.transport)
       << ", auth " << bold(choice.auth) << dim("  (see --help to change)") << "\n\n";
}

void print_usage(std::ostream& out) {
   out << "usage: dpp-demo [--service-type compose|application] [--transport libssh2|system]\n"
       << "                [--auth key|password] [--verbose]\n\n"
       << "Runs DevPod's lifecycle (init, create, status, command, stop, start, delete) against the\n"
       << "Dokploy emulator with a real Debian workspace, prints each step with its timing and\n"
       << "result, and cleans up (also on Ctrl-C). Needs root. --verbose also shows what the\n"
       << "provider logged for each step (DevPod shows it only when a step fails).\n\n"
       << "DevPod: the real devpod CLI when one is found ($DEVPOD_BIN, else devpod on PATH; a release\n"
       << "build is only used from DEVPOD_BIN, since it makes the workspace download its agent from\n"
       << "GitHub), else a driver in this program that runs the provider as DevPod does.\n"
       << "DEVPOD_BIN=none or DPP_E2E_DEVPOD=in-house forces the driver; DPP_E2E_DEVPOD=real the CLI.\n";
}

void print_needs_root(std::ostream& out) {
   out << "dpp-demo needs root: each workspace is a real Debian system started in its own Linux\n"
       << "namespaces (unshare, overlayfs, a veth pair), and only root may create those.\n"
       << "Run it as root, for example: sudo tools/dev demo\n";
}

}  // namespace dpp::demo

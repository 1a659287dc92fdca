// The auto-stop command end to end, inside a workspace.
#include "auto_stop_in_workspace.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sstream>
#include <thread>

#include "support/test_paths.hpp"

namespace dpp::test::devpod {
namespace {

using namespace std::chrono_literals;

std::string shell_quote(const std::string& value) {
   std::string out = "'";
   for (char c : value) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
   return out + "'";
}

std::string value_of(const std::string& text, const std::string& name) {
   std::istringstream in(text);
   std::string line;
   while (std::getline(in, line))
      if (line.rfind(name + "=", 0) == 0) return line.substr(name.size() + 1);
   return "";
}

// /proc/net/route's eth0 network (hex, little endian) plus one: the veth's host end.
std::string host_end_from_route(const std::string& route) {
   std::istringstream in(route);
   std::string line;
   std::getline(in, line);  // header
   while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string iface, destination;
      fields >> iface >> destination;
      if (iface != "eth0" || destination == "00000000") continue;
      const uint32_t network = static_cast<uint32_t>(std::stoul(destination, nullptr, 16));
      in_addr address{};
      address.s_addr = htonl(ntohl(network) + 1);
      char text[INET_ADDRSTRLEN];
      return inet_ntop(AF_INET, &address, text, sizeof text) ? std::string(text) : "";
   }
   return "";
}

bool accepts(const std::string& host, int port) {
   const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
   sockaddr_in address{};
   address.sin_family = AF_INET;
   address.sin_port = htons(static_cast<uint16_t>(port));
   ::inet_pton(AF_INET, host.c_str(), &address.sin_addr);
   const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
   ::close(fd);
   return ok;
}

const char* kShim = R"(#!/bin/sh
name=${0##*/}
{ printf '%s\n' "$name"; printf '%s\n' "$@"; printf '%s\n' --; } >> "$SHIM_LOG"
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin exec "$name" "$@"
)";

}  // namespace

AutoStopInWorkspace::AutoStopInWorkspace(const DevPodClient& devpod, const Machine& machine,
                                         Emulator& emulator)
    : devpod_(devpod), machine_(machine), emulator_(emulator) {}

AutoStopInWorkspace::~AutoStopInWorkspace() {
   if (forwarder_) forwarder_->stop(2s);
}

CheckResult AutoStopInWorkspace::prepare() {
   if (!devpod_.driver().provider().agent.shutdown)
      return {false, "provider.yaml has no agent.exec.shutdown"};
   const ExecResult service = devpod_.command(machine_, "cat /etc/dokploy-provider/service.env");
   kind_ = value_of(service.out, "DPP_DOKPLOY_SERVICE_KIND");
   service_id_ = value_of(service.out, "DPP_DOKPLOY_SERVICE_ID");
   if (!service.ok() || kind_.empty() || service_id_.empty())
      return {false,
              "the workspace has no /etc/dokploy-provider/service.env: the Dokploy backend must put "
              "DPP_DOKPLOY_SERVICE_KIND and DPP_DOKPLOY_SERVICE_ID into the workspace's environment (" +
                  service.err + ")"};
   const ExecResult route = devpod_.command(machine_, "cat /proc/net/route");
   host_end_ = host_end_from_route(route.out);
   if (host_end_.empty()) return {false, "no eth0 route in the workspace: " + route.describe()};
   forward_port_ = free_tcp_port();
   forwarder_ = std::make_unique<ChildProcess>(ProcessOptions{
       .argv = {"/usr/bin/socat",
                "TCP-LISTEN:" + std::to_string(forward_port_) + ",bind=" + host_end_ + ",fork,reuseaddr",
                "TCP:127.0.0.1:" + std::to_string(emulator_.port())}});
   for (int i = 0; i < 100 && !accepts(host_end_, forward_port_); ++i) std::this_thread::sleep_for(50ms);
   if (!accepts(host_end_, forward_port_))
      return {false, "the forwarder on " + host_end_ + " does not listen"};

   // DevPod's daemon environment: every provider option (from the workspace's workspace.json)
   // plus DevPod's variables; the shims go first on PATH.
   std::string env_file =
       "PATH=\"$HOME/.autostop-shims:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"\n"
       "SHIM_LOG=\"$HOME/autostop-argv.log\"\n";
   for (const auto& [name, value] : devpod_.driver().option_values()) {
      std::string text = value;
      if (name == "DOKPLOY_SERVER_URL") text = "http://" + host_end_ + ":" + std::to_string(forward_port_);
      env_file += name + "=" + shell_quote(text) + "\n";
   }
   env_file += "MACHINE_ID=" + shell_quote(machine_.id) + "\n";
   const ExecResult wrote = devpod_.command(machine_, "umask 077 && cat > \"$HOME/.autostop.env\"", env_file);
   if (!wrote.ok()) return {false, "writing the daemon's environment: " + wrote.describe()};
   const ExecResult script =
       devpod_.command(machine_, "cat > \"$HOME/.autostop.sh\"", *devpod_.driver().provider().agent.shutdown);
   if (!script.ok()) return {false, "writing the command: " + script.describe()};
   const ExecResult shims = devpod_.command(
       machine_,
       "mkdir -p \"$HOME/.autostop-shims\" && cat > \"$HOME/.autostop-shims/shim\" && chmod 755 "
       "\"$HOME/.autostop-shims/shim\" && for p in curl sed wget cat; do ln -sf shim "
       "\"$HOME/.autostop-shims/$p\"; "
       "done && rm -f \"$HOME/autostop-argv.log\"",
       kShim);
   if (!shims.ok()) return {false, "writing the shims: " + shims.describe()};
   return {true, kind_ + " " + service_id_ + "; Dokploy reachable from the workspace at " + host_end_ + ":" +
                     std::to_string(forward_port_)};
}

CheckResult AutoStopInWorkspace::run() {
   emulator_.clear_requests();
   // As the daemon: bash -c "<command>" (sh without bash), options in the environment, no stdin.
   const auto session =
       devpod_.start_command(machine_,
                             "set -a; . \"$HOME/.autostop.env\"; set +a; rm -f \"$HOME/.autostop.env\"; "
                             "shell=sh; command -v bash >/dev/null 2>&1 && shell=bash; "
                             "exec \"$shell\" -c \"$(cat \"$HOME/.autostop.sh\")\" < /dev/null");
   session->close_stdin();
   // The workspace stops under the command, so the session usually ends with an error, often
   // before Dokploy has answered (and logged) the request: wait for it to appear.
   const std::string procedure = kind_ + ".stop";
   std::vector<nlohmann::json> stops;
   for (int i = 0; i < 3000 && stops.empty(); ++i) {
      stops = emulator_.api_requests(procedure);
      if (stops.empty()) std::this_thread::sleep_for(100ms);
   }
   const StatusResult status = devpod_.poll_while_busy(machine_, 5min);
   const std::string ended = end_session(*session);
   if (stops.size() != 1)
      return {false, "expected one " + procedure + " request, got " + std::to_string(stops.size()) +
                         "; command: " + ended};
   const nlohmann::json& body = stops[0]["body"];
   const std::string field = kind_ == "compose" ? "composeId" : "applicationId";
   if (!body.is_object() || body.value(field, "") != service_id_ || !stops[0].value("api_key_present", false))
      return {false, procedure + " did not name " + service_id_ + " with a key: " + stops[0].dump()};
   if (status.status != Status::stopped)
      return {false, "after auto-stop the status is " +
                         (status.status ? std::string(status_name(*status.status)) : status.error)};
   return {true, procedure + " of " + service_id_ + " answered " +
                     std::to_string(stops[0].value("status", 0)) + "; status Stopped" +
                     (ended.empty() ? "" : "; " + ended)};
}

std::string AutoStopInWorkspace::end_session(CommandSession& session) const {
   // The provider's `command` ends by itself once its connection is gone ("the connection to …
   // was lost"), but DevPod v0.5.7's `machine ssh` then keeps waiting on a pipe it holds itself
   // (cmd/machine/ssh.go StartSSHSession never reads the transport's error): end it as a user
   // would, with Ctrl-C.
   if (devpod_.real() && session.running()) {
      session.cancel();
      session.wait(1min);
      return "`devpod machine ssh` still waited after the workspace had stopped: ended with Ctrl-C";
   }
   const ExecResult result = session.wait(5min);
   return result.hung ? "the provider's `command` still ran 5 min after the workspace had stopped" : "";
}

CheckResult AutoStopInWorkspace::verify_argv_log() {
   const ExecResult log =
       devpod_.command(machine_, "cat \"$HOME/autostop-argv.log\"; rm -f \"$HOME/autostop-argv.log\"");
   if (!log.ok()) return {false, "no argv log: " + log.describe()};
   if (log.out.find("curl\n") == std::string::npos) return {false, "curl never ran: " + log.out};
   const std::string token = devpod_.driver().option_values().at("DOKPLOY_API_TOKEN");
   if (log.out.find(token) != std::string::npos) return {false, "the API token was in an argument list"};
   std::size_t programs = 0;
   for (std::size_t at = log.out.find("--\n"); at != std::string::npos; at = log.out.find("--\n", at + 3))
      ++programs;
   return {true, std::to_string(programs) + " programs started, none with the token in its argv"};
}

}  // namespace dpp::test::devpod

// dpp_transport_pipe: runs one command through a transport plugin with this process's own
// stdin, stdout and stderr, as `dokploy-provider command` does, and exits with the remote exit
// code. The SSH integration tests use it as OpenSSH's ProxyCommand, like DevPod's IDE tunnel.
//
//   dpp_transport_pipe --plugin libssh2 --host 127.0.0.1 --port 2222 --user devpod
//       --host-key-file F (--key-file K | --password-file P) --command-file C
//
// Secrets only come from files (never from the command line).
#include <dpp/dpp.h>

#include <signal.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "loader/plugin_library.hpp"
#include "support/test_paths.hpp"

namespace {

std::string read_file(const std::string& path) {
   std::ifstream in(path, std::ios::binary);
   std::stringstream buffer;
   buffer << in.rdbuf();
   return buffer.str();
}

std::string first_line(const std::string& text) {
   return text.substr(0, text.find('\n'));
}

void log_to_stderr(const dpp_host*, int32_t level, const char* message) {
   if (level >= DPP_LOG_INFO) std::fprintf(stderr, "dpp_transport_pipe: %s\n", message);
}
bool log_enabled(const dpp_host*, int32_t level) {
   return level >= DPP_LOG_INFO;
}

// Like the host: SIGTERM (ssh ends its ProxyCommand so), SIGINT and SIGHUP cancel the run, which
// then cleans up and returns.
std::atomic<dpp_transport*> g_running{nullptr};
extern "C" void cancel_on_signal(int) {
   if (dpp_transport* transport = g_running.load()) transport->cancel(transport);
}

}  // namespace

int main(int argc, char** argv) {
   std::map<std::string, std::string> args;
   for (int i = 1; i + 1 < argc; i += 2) args[argv[i]] = argv[i + 1];
   for (const char* required :
        {"--plugin", "--host", "--port", "--user", "--host-key-file", "--command-file"})
      if (!args.count(required)) {
         std::fprintf(stderr, "dpp_transport_pipe: %s is required\n", required);
         return 2;
      }
   try {
      dpp_host host{};
      host.struct_size = sizeof host;
      host.abi_version = DPP_ABI_VERSION_INIT;
      host.name = "dpp_transport_pipe";
      host.version = "0";
      host.log = &log_to_stderr;
      host.log_enabled = &log_enabled;
      auto library =
          dpp::core::PluginLibrary::open(dpp::test::plugin_dir() + "/dpp-" + args["--plugin"] + ".so");
      library->initialise(&host);
      const auto* factory =
          static_cast<const dpp_transport_factory*>(library->factory(dpp::core::PluginKind::transport));
      dpp_options options{sizeof(dpp_options), 0, nullptr};
      dpp_error error{};
      error.struct_size = sizeof error;
      dpp_transport* transport = nullptr;
      if (factory->create(factory, &host, &options, &transport, &error) != DPP_OK) {
         std::fprintf(stderr, "dpp_transport_pipe: %s\n", error.message);
         return 255;
      }
      const std::string host_key = first_line(read_file(args["--host-key-file"]));
      const std::string command = read_file(args["--command-file"]);
      std::string password =
          args.count("--password-file") ? first_line(read_file(args["--password-file"])) : "";
      dpp_credentials credentials{};
      credentials.struct_size = sizeof credentials;
      credentials.kind = password.empty() ? DPP_CREDENTIAL_PRIVATE_KEY : DPP_CREDENTIAL_PASSWORD;
      credentials.user = args["--user"].c_str();
      credentials.private_key_file = args.count("--key-file") ? args["--key-file"].c_str() : nullptr;
      credentials.password = password.empty() ? nullptr : password.c_str();
      dpp_ssh_target target{};
      target.struct_size = sizeof target;
      target.host = args["--host"].c_str();
      target.port = static_cast<uint16_t>(std::stoi(args["--port"]));
      target.host_key = host_key.c_str();
      target.credentials = &credentials;
      target.connect_timeout_ms = 60'000;
      dpp_run_request request{};
      request.struct_size = sizeof request;
      request.target = &target;
      request.command = command.c_str();
      request.stdin_fd = 0;
      request.stdout_fd = 1;
      request.stderr_fd = 2;
      dpp_run_result result{};
      result.struct_size = sizeof result;
      struct sigaction action {};
      action.sa_handler = cancel_on_signal;
      sigemptyset(&action.sa_mask);
      for (int signal_number : {SIGTERM, SIGINT, SIGHUP}) sigaction(signal_number, &action, nullptr);
      g_running.store(transport);
      const dpp_status status = transport->run(transport, &request, &result, &error);
      g_running.store(nullptr);
      std::fill(password.begin(), password.end(), '\0');
      transport->destroy(transport);
      if (status != DPP_OK) {
         std::fprintf(stderr, "dpp_transport_pipe: %s: %s\n", dpp_status_name(status), error.message);
         return 255;
      }
      return result.exit_code;
   } catch (const std::exception& e) {
      std::fprintf(stderr, "dpp_transport_pipe: %s\n", e.what());
      return 255;
   }
}

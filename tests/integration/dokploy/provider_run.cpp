// The Dokploy integration tests' shared set-up.
#include "provider_run.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>

#include "support/test_paths.hpp"

namespace dpp::test {
namespace {

bool file_exists(const std::string& path) {
   struct stat info {};
   return ::stat(path.c_str(), &info) == 0;
}

}  // namespace

std::string missing_workspace_requirement(const std::vector<std::string>& tools) {
   if (!running_as_root()) return "the emulator's workspace runner needs root";
   if (!file_exists(provider_path())) return "dokploy-provider is not built (" + provider_path() + ")";
   for (const char* plugin : {"dpp-dokploy.so", "dpp-libssh2.so", "dpp-key.so"})
      if (!file_exists(plugin_dir() + "/" + plugin))
         return std::string(plugin) + " is not built in " + plugin_dir();
   for (const std::string& tool : tools)
      if (!file_exists(tool)) return tool + " is missing";
   return "";
}

EnvMap provider_environment(const Emulator& emulator, const std::string& kind, const std::string& machine_id,
                            const std::string& machine_folder) {
   EnvMap env;
   for (const auto& [name, value] : current_environment())
      if (name.rfind("DOKPLOY_", 0) != 0 && name.rfind("DEVPOD", 0) != 0 && name != "MACHINE_ID" &&
          name != "MACHINE_FOLDER" && name != "COMMAND")
         env[name] = value;
   env["DOKPLOY_SERVER_URL"] = emulator.url();
   env["DOKPLOY_API_TOKEN"] = emulator.token();
   if (emulator.options().tls) env["DOKPLOY_CA_CERT"] = emulator.ca_cert();
   env["DOKPLOY_SERVICE_TYPE"] = kind;
   env["DOKPLOY_POLL_INTERVAL"] = "250ms";
   env["DOKPLOY_CREATE_TIMEOUT"] = "10m";
   if (kind == "application") env["DOKPLOY_DOCKER_IN_WORKSPACE"] = "false";
   env["MACHINE_ID"] = machine_id;
   env["MACHINE_FOLDER"] = machine_folder;
   return env;
}

ProcessResult run_verb(const std::vector<std::string>& argv, const EnvMap& env, const std::string& verb,
                       const std::string& token, std::optional<std::string> input) {
   const auto started = std::chrono::steady_clock::now();
   ProcessResult result =
       run_process({.argv = argv, .env = env, .stdin_data = std::move(input)}, std::chrono::minutes(12));
   std::printf("  %-8s exit %d in %.2f s\n", verb.c_str(), result.exit_code,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
   // The token is a secret: it appears in no output of the provider.
   EXPECT_EQ(result.out.find(token), std::string::npos) << verb;
   EXPECT_EQ(result.err.find(token), std::string::npos) << verb;
   return result;
}

}  // namespace dpp::test

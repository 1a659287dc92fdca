// The integration fixture of the Dokploy backend: the provider binary against the workspace runner.
#include "host_fixture.hpp"

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

std::string missing_requirement() {
   if (!running_as_root()) return "the emulator's workspace runner needs root";
   if (!file_exists(provider_path())) return "dokploy-provider is not built (" + provider_path() + ")";
   for (const char* plugin : {"dpp-dokploy.so", "dpp-libssh2.so", "dpp-key.so"})
      if (!file_exists(plugin_dir() + "/" + plugin))
         return std::string(plugin) + " is not built in " + plugin_dir();
   return "";
}

void HostProviderTest::SetUp() {
   const std::string missing = missing_requirement();
   if (!missing.empty()) DPP_SKIP(missing);
   emulator_ = &workspace_emulator();
   emulator_->reset();
}

void HostProviderTest::TearDown() {
   if (!emulator_) return;
   for (const auto& entry : emulator_->schema_errors())
      ADD_FAILURE() << "a request failed Dokploy's schema: " << entry.dump();
}

EnvMap HostProviderTest::environment(const std::string& machine_id, const std::string& kind) const {
   EnvMap env;
   for (const auto& [name, value] : current_environment())
      if (name.rfind("DOKPLOY_", 0) != 0 && name.rfind("DEVPOD", 0) != 0 && name != "MACHINE_ID" &&
          name != "MACHINE_FOLDER" && name != "COMMAND")
         env[name] = value;
   env["DOKPLOY_SERVER_URL"] = emulator_->url();
   env["DOKPLOY_API_TOKEN"] = emulator_->token();
   env["DOKPLOY_SERVICE_TYPE"] = kind;
   env["DOKPLOY_SSH_PORT_RANGE"] = "42200-42299";
   env["DOKPLOY_POLL_INTERVAL"] = "250ms";
   env["DOKPLOY_CREATE_TIMEOUT"] = "10m";
   if (kind == "application") env["DOKPLOY_DOCKER_IN_WORKSPACE"] = "false";
   env["MACHINE_ID"] = machine_id;
   env["MACHINE_FOLDER"] = machine_folder_.path();
   return env;
}

ProcessResult HostProviderTest::provider(const std::string& verb, const std::string& machine_id,
                                         const std::string& kind, EnvMap extra,
                                         std::optional<std::string> input) {
   EnvMap env = environment(machine_id, kind);
   for (auto& [name, value] : extra) env[name] = value;
   const auto started = std::chrono::steady_clock::now();
   ProcessResult result = run_process({.argv = {provider_path(), verb}, .env = env, .stdin_data = input},
                                      std::chrono::minutes(12));
   std::printf("  %-8s exit %d in %.2f s\n", verb.c_str(), result.exit_code,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
   if (result.exit_code != 0) std::printf("%s", result.err.c_str());
   // The token is a secret: it appears in no output of the provider.
   EXPECT_EQ(result.out.find(emulator_->token()), std::string::npos) << verb;
   EXPECT_EQ(result.err.find(emulator_->token()), std::string::npos) << verb;
   return result;
}

std::vector<std::string> HostProviderTest::left_behind() const {
   std::vector<std::string> names;
   for (const auto& service : emulator_->services())
      if (service.value("name", "").rfind("devpod-", 0) == 0) names.push_back(service.value("name", ""));
   return names;
}

}  // namespace dpp::test

// The integration fixture of the Dokploy backend: the provider binary against the workspace runner.
#include "host_fixture.hpp"

#include <cstdio>

#include "provider_run.hpp"
#include "support/test_paths.hpp"

namespace dpp::test {

void HostProviderTest::SetUp() {
   const std::string missing = missing_workspace_requirement();
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
   EnvMap env = provider_environment(*emulator_, kind, machine_id, machine_folder_.path());
   env["DOKPLOY_SSH_PORT_RANGE"] = "42200-42299";
   return env;
}

ProcessResult HostProviderTest::provider(const std::string& verb, const std::string& machine_id,
                                         const std::string& kind, EnvMap extra,
                                         std::optional<std::string> input) {
   EnvMap env = environment(machine_id, kind);
   for (auto& [name, value] : extra) env[name] = value;
   ProcessResult result = run_verb({provider_path(), verb}, env, verb, emulator_->token(), std::move(input));
   if (result.exit_code != 0) std::printf("%s", result.err.c_str());
   return result;
}

std::vector<std::string> HostProviderTest::left_behind() const {
   std::vector<std::string> names;
   for (const auto& service : emulator_->services())
      if (service.value("name", "").rfind("devpod-", 0) == 0) names.push_back(service.value("name", ""));
   return names;
}

}  // namespace dpp::test

// What the Dokploy integration tests share: whether real workspaces can run here, the provider's
// environment as DevPod would set it against the emulator, and one verb of the real binary.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "support/child_process.hpp"
#include "support/emulator.hpp"

namespace dpp::test {

// Why the real dokploy-provider cannot drive real workspaces here (not root, not built, a tool
// of `tools` missing), or "" when it can.
std::string missing_workspace_requirement(const std::vector<std::string>& tools = {});

// The test process's environment without DevPod's and the provider's variables, plus what every
// verb against `emulator` needs for machine `machine_id` of service type `kind`.
EnvMap provider_environment(const Emulator& emulator, const std::string& kind, const std::string& machine_id,
                            const std::string& machine_folder);

// Runs `argv` (the provider and its verb, perhaps behind a wrapper) with `env` and `input` on its
// stdin, prints the verb's exit code and time, and checks that the API token appears in none of
// its output.
ProcessResult run_verb(const std::vector<std::string>& argv, const EnvMap& env, const std::string& verb,
                       const std::string& token, std::optional<std::string> input = std::nullopt);

}  // namespace dpp::test

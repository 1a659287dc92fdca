// The real dokploy-provider binary, with the Dokploy, libssh2 and key plugins, driven as DevPod
// drives it against the emulator's workspace runner (real Debian workspaces; needs root).
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "support/child_process.hpp"
#include "support/emulator.hpp"
#include "support/temp_dir.hpp"

namespace dpp::test {

// A fixture whose tests run provider verbs against workspace_emulator(), one machine folder per
// test; it checks that no request failed Dokploy's schema.
class HostProviderTest : public ::testing::Test {
 protected:
   void SetUp() override;
   void TearDown() override;
   // The environment DevPod would give a verb for `machine_id` with a `kind` service.
   EnvMap environment(const std::string& machine_id, const std::string& kind) const;
   // Runs `verb` (printing its exit code, duration and, on failure, stderr) and checks that the
   // token appears in none of its output.
   ProcessResult provider(const std::string& verb, const std::string& machine_id, const std::string& kind,
                          EnvMap extra = {}, std::optional<std::string> input = std::nullopt);
   // Services named like the provider's that are still in the emulator.
   std::vector<std::string> left_behind() const;

   Emulator* emulator_ = nullptr;
   TempDir machine_folder_{"dpp-dokploy-machine"};
};

}  // namespace dpp::test

// DevPod conformance: dokploy-provider driven by DevPod (the real CLI when one is at hand, else
// the in-house driver that runs it exactly as DevPod does: environment table, exec strings
// through DevPod's shell, status parsing, SIGINT; README.md), against the Dokploy emulator whose
// deploys start real Debian workspaces. Every service kind × transport × auth strategy,
// and two combinations on a second Dokploy server (DOKPLOY_SERVER_ID, 127.0.0.2). One process
// and one emulator for the whole matrix; per-step timings are printed, never asserted.
#include <gtest/gtest.h>

#include "combination.hpp"
#include "conformance_environment.hpp"
#include "lifecycle.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::devpod {
namespace {

void run(const std::string& name) {
   ConformanceEnvironment& environment = ConformanceEnvironment::get();
   if (!environment.skip_reason().empty()) DPP_SKIP(environment.skip_reason());
   if (!environment.devpod().error.empty()) FAIL() << environment.devpod().error;
   for (const auto& combination : conformance_matrix())
      if (combination.name() == name) {
         run_lifecycle(environment, combination);
         return;
      }
   FAIL() << "no combination " << name;
}

}  // namespace

TEST(DevPodConformance, ComposeWithLibssh2AndKeyLivesThroughDevPodsWholeLifecycleAndAutoStops) {
   run("compose/libssh2/key");
}
TEST(DevPodConformance, ComposeWithLibssh2AndPasswordLivesThroughDevPodsWholeLifecycle) {
   run("compose/libssh2/password");
}
TEST(DevPodConformance, ComposeWithSystemSshAndKeyLivesThroughDevPodsWholeLifecycle) {
   run("compose/system/key");
}
TEST(DevPodConformance, ComposeWithSystemSshAndPasswordLivesThroughDevPodsWholeLifecycle) {
   run("compose/system/password");
}
TEST(DevPodConformance, ApplicationWithLibssh2AndKeyLivesThroughDevPodsWholeLifecycle) {
   run("application/libssh2/key");
}
TEST(DevPodConformance, ApplicationWithLibssh2AndPasswordLivesThroughDevPodsWholeLifecycle) {
   run("application/libssh2/password");
}
TEST(DevPodConformance, ApplicationWithSystemSshAndKeyLivesThroughDevPodsWholeLifecycle) {
   run("application/system/key");
}
TEST(DevPodConformance, ApplicationWithSystemSshAndPasswordLivesThroughDevPodsWholeLifecycleAndAutoStops) {
   run("application/system/password");
}
TEST(DevPodConformance, ComposeOnARemoteServerAnswersOnThatServersAddress) {
   run("compose/libssh2/key@remote");
}
TEST(DevPodConformance, ApplicationOnARemoteServerAnswersOnThatServersAddress) {
   run("application/system/password@remote");
}

// Runs last (tests run in the order they are defined): what the matrix left behind.
TEST(DevPodConformance, TheEmulatorSawNoSchemaErrorsAndHoldsNothingAfterwards) {
   ConformanceEnvironment& environment = ConformanceEnvironment::get();
   if (!environment.skip_reason().empty()) DPP_SKIP(environment.skip_reason());
   Emulator& emulator = environment.emulator();
   const auto errors = emulator.schema_errors();
   EXPECT_TRUE(errors.empty()) << nlohmann::json(errors).dump(1);
   EXPECT_EQ(emulator.log().find("Traceback"), std::string::npos) << emulator.log();
   const auto services = emulator.services();
   EXPECT_TRUE(services.empty()) << nlohmann::json(services).dump(1);
   const nlohmann::json workspaces = emulator.workspaces();  // items() does not keep a temporary alive
   for (const auto& [key, workspace] : workspaces.items())
      EXPECT_EQ(workspace.value("state", ""), "missing") << key << ": " << workspace.dump();
   const std::string token = emulator.token();
   EXPECT_EQ(emulator.state().dump().find(token), std::string::npos)
       << "the API token is stored in the emulator";
}

}  // namespace dpp::test::devpod

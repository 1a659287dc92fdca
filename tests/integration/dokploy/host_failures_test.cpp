// Failures as a person sees them on stderr, through the real dokploy-provider binary against the
// emulator's workspace runner: a deploy that fails says why from Dokploy's log, and a Swarm
// routing mesh that does not forward fails create early with the fix, which doctor names too and
// start applies.
#include <gtest/gtest.h>

#include <cstdio>

#include "host_fixture.hpp"

namespace dpp::test {
namespace {

class HostFailures : public HostProviderTest {
 protected:
   void SetUp() override {
      HostProviderTest::SetUp();
      if (emulator_) emulator_->set_version("v0.30.2");
   }
};

TEST_F(HostFailures, ImagePullFailureIsExplainedFromDokploysLogAndLeavesNothing) {
   const ProcessResult result =
       provider("create", "pullfail", "application", {{"DOKPLOY_IMAGE", "registry.invalid/nope:1"}});
   EXPECT_EQ(result.exit_code, 1);
   EXPECT_NE(
       result.err.find("dokploy-provider: create failed: dokploy: the deploy of 'devpod-pullfail (ssh "),
       std::string::npos)
       << result.err;
   EXPECT_NE(
       result.err.find("' failed (Swarm shows no task for it); its log in Dokploy ends with:\n"
                       "    Pulling registry.invalid/nope:1\n"
                       "    Error response from daemon: Get \"https://registry.invalid/v2/\": dial tcp: "
                       "lookup registry.invalid on 127.0.0.53:53: no such host\n"
                       "    ❌ Pulling image failed\n"),
       std::string::npos)
       << result.err;
   EXPECT_TRUE(left_behind().empty());
   EXPECT_EQ(provider("status", "pullfail", "application").out, "NotFound\n");
}

TEST_F(HostFailures, MeshThatDoesNotForwardFailsCreateEarlyDoctorNamesTheFixAndStartAppliesIt) {
   emulator_->set_ingress_routes(false);
   const std::string machine = "nomesh";
   ProcessResult result = provider("create", machine, "application");
   EXPECT_EQ(result.exit_code, 1);
   EXPECT_NE(result.err.find("refused every connection for"), std::string::npos) << result.err;
   EXPECT_NE(result.err.find("attempts): Swarm's routing mesh does not forward"), std::string::npos)
       << result.err;
   EXPECT_NE(result.err.find("set DOKPLOY_SSH_PUBLISH_MODE=host"), std::string::npos) << result.err;
   EXPECT_TRUE(left_behind().empty()) << "rolled back like any failed create";

   // A workspace left in that state (kept by DOKPLOY_KEEP_FAILED): doctor names the same fix.
   result = provider("create", machine, "application", {{"DOKPLOY_KEEP_FAILED", "true"}});
   ASSERT_EQ(result.exit_code, 1);
   ASSERT_EQ(left_behind().size(), 1u);
   result = provider("doctor", machine, "application");
   std::printf("%s", result.out.c_str());
   EXPECT_EQ(result.exit_code, 1);
   EXPECT_NE(result.out.find("✗ SSH port publishing: devpod-nomesh (ssh "), std::string::npos) << result.out;
   EXPECT_NE(result.out.find(
                 "the mesh does not forward on this server\n    fix: set DOKPLOY_SSH_PUBLISH_MODE=host"),
             std::string::npos)
       << result.out;

   // The fix: the option, then DevPod's stop and start.
   const EnvMap host_mode = {{"DOKPLOY_SSH_PUBLISH_MODE", "host"}};
   ASSERT_EQ(provider("stop", machine, "application", host_mode).exit_code, 0);
   result = provider("start", machine, "application", host_mode);
   ASSERT_EQ(result.exit_code, 0) << result.err;
   result = provider("command", machine, "application", {{"COMMAND", "echo reached"}});
   EXPECT_EQ(result.out, "reached\n") << result.err;
   ASSERT_EQ(provider("delete", machine, "application").exit_code, 0);
   EXPECT_TRUE(left_behind().empty());
}

}  // namespace
}  // namespace dpp::test

// Exit codes across the verbs: 0 on success, 2 for usage and configuration errors, the remote
// command's own code for `command`, 255 when the transport fails, 1 otherwise; every failure ends
// with one line a person can act on, and stdout carries only what DevPod reads.
#include <gmock/gmock.h>

#include <filesystem>

#include "cli_fixture.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

class Lifecycle : public CliTest {
 protected:
   void create() {
      const auto result = run({"create"}, {{"FAKE_SSH_PORT", "2200"}});
      ASSERT_EQ(result.exit_code, 0) << result.err;
   }
   // Checks the convention of every failure: nothing on stdout, and a last stderr line from
   // dokploy-provider that says something.
   static void expect_actionable_failure(const ProcessResult& result) {
      EXPECT_NE(result.exit_code, 0);
      EXPECT_THAT(last_line(result.err), StartsWith("dokploy-provider: "));
      EXPECT_GT(last_line(result.err).size(), 40u) << result.err;
   }
};

TEST_F(Lifecycle, CreatePrintsTheMachineForDevpodAndRecordsIt) {
   const auto result = run({"create"}, {{"FAKE_SSH_PORT", "2200"}});
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out,
             "DEVPOD_MACHINE_ID=m1\nDEVPOD_MACHINE_HOST=127.0.0.1\nDEVPOD_MACHINE_PORT=2200\n"
             "DEVPOD_MACHINE_USER=devpod\n");
   EXPECT_THAT(result.err, HasSubstr("test.fake: fake backend creates m1"));
   EXPECT_TRUE(std::filesystem::exists(machine_folder() + "/dokploy-provider-state.json"));
}

TEST_F(Lifecycle, CreateIsIdempotent) {
   create();
   create();
   EXPECT_EQ(run({"status"}, {{"FAKE_STATE", "recorded"}}).exit_code, 0);
}

TEST_F(Lifecycle, CommandExitsWithTheRemoteCommandsExitCode) {
   create();
   for (int code : {0, 1, 7, 42, 254}) {
      const auto result = run({"command"}, {{"COMMAND", "exit " + std::to_string(code)}});
      EXPECT_EQ(result.exit_code, code) << result.err;
   }
}

TEST_F(Lifecycle, CommandJoinsStdinStdoutAndStderrBinarySafe) {
   create();
   std::string bytes;
   for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
   const auto result = run({"command"}, {{"COMMAND", "cat; echo to-stderr >&2"}}, bytes);
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, bytes);
   EXPECT_EQ(result.err, "to-stderr\n");
}

TEST_F(Lifecycle, CommandScriptCanBeGivenOnTheCommandLine) {
   create();
   const auto result = run({"command", "printf 'it'\"'\"'s here\\n'"}, {{"COMMAND", std::nullopt}});
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "it's here\n");
}

TEST_F(Lifecycle, CommandKilledBySignalExitsWithOneHundredTwentyEightPlusTheSignal) {
   create();
   const auto result = run({"command"}, {{"COMMAND", "kill -TERM $$"}});
   EXPECT_EQ(result.exit_code, 128 + 15);
   EXPECT_THAT(result.err, HasSubstr("killed by signal SIGTERM"));
}

TEST_F(Lifecycle, CommandWithoutAScriptIsAUsageError) {
   create();
   const auto result = run({"command"}, {{"COMMAND", std::nullopt}});
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_THAT(last_line(result.err), HasSubstr("COMMAND is not set"));
}

TEST_F(Lifecycle, TransportThatCannotConnectExits255LikeSsh) {
   create();
   const auto result = run({"command"}, {{"COMMAND", "true"}, {"FAKE_TRANSPORT_FAIL", "connect"}});
   EXPECT_EQ(result.exit_code, 255);
   EXPECT_EQ(result.out, "");
   expect_actionable_failure(result);
   EXPECT_THAT(last_line(result.err), HasSubstr("cannot connect to 127.0.0.1:2200"));
}

TEST_F(Lifecycle, RefusedCredentialsExit255AndSayWhatToDo) {
   create();
   const auto result = run({"command"}, {{"COMMAND", "true"}, {"FAKE_TRANSPORT_FAIL", "auth"}});
   EXPECT_EQ(result.exit_code, 255);
   EXPECT_THAT(last_line(result.err), HasSubstr("delete and recreate the workspace"));
}

TEST_F(Lifecycle, LostSessionAndForeignHostKeyExit255) {
   create();
   EXPECT_EQ(run({"command"}, {{"COMMAND", "true"}, {"FAKE_TRANSPORT_FAIL", "lost"}}).exit_code, 255);
   EXPECT_EQ(run({"command"}, {{"COMMAND", "true"}, {"FAKE_TRANSPORT_FAIL", "host-key"}}).exit_code, 255);
}

TEST_F(Lifecycle, CommandOnAMachineThatDoesNotExistExits255SayingHowToCreateIt) {
   const auto result = run({"command"}, {{"COMMAND", "true"}});
   EXPECT_EQ(result.exit_code, 255);
   EXPECT_THAT(last_line(result.err), HasSubstr("does not exist; run `devpod up` to create it"));
}

TEST_F(Lifecycle, DeleteForgetsTheMachineAndIsIdempotent) {
   create();
   auto result = run({"delete"});
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "");
   EXPECT_EQ(run({"status"}).out, "NotFound\n");
   result = run({"delete"});
   EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST_F(Lifecycle, StartAndStopSucceedWithABackendThatSupportsThem) {
   create();
   auto result = run({"stop"});
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "");
   result = run({"start"}, {{"FAKE_SSH_PORT", "2200"}});
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "");
}

TEST_F(Lifecycle, BackendFailureExitsOneForEveryVerb) {
   create();
   for (const char* verb : {"create", "start", "stop", "delete", "status"}) {
      const auto result = run({verb}, {{"FAKE_FAIL", "remote"}});
      EXPECT_EQ(result.exit_code, 1) << verb << ": " << result.err;
      EXPECT_EQ(result.out, "") << verb;
      expect_actionable_failure(result);
      EXPECT_THAT(last_line(result.err),
                  HasSubstr(std::string(verb) + " failed: test.fake: FAKE_FAIL=remote"));
   }
}

TEST_F(Lifecycle, EndpointThatDoesNotAnswerAfterCreateFailsCreate) {
   const auto result = run({"create"}, {{"FAKE_SSH_PORT", "2200"}, {"FAKE_TRANSPORT_FAIL", "connect"}});
   EXPECT_EQ(result.exit_code, 1);
   EXPECT_EQ(result.out, "");
   expect_actionable_failure(result);
   EXPECT_THAT(last_line(result.err), HasSubstr("does not answer SSH"));
}

TEST_F(Lifecycle, CreateWhoseEndpointNothingListensOnIsRolledBackSoStatusSaysNotFound) {
   // The host's real transport and auth check the endpoint the backend returned: a port where
   // nothing listens. The backend's record must not outlive the failed create (status would say
   // Busy, and DevPod would wait for ever).
   const std::string libssh2 =
       copy_plugin(plugin_dir() + "/dpp-libssh2.so", "host-plugins", "dpp-libssh2.so");
   const std::string key = copy_plugin(plugin_dir() + "/dpp-key.so", "host-plugins", "dpp-key.so");
   const EnvChanges silent_endpoint = {{"FAKE_SSH_PORT", std::to_string(free_tcp_port())},
                                       {"DOKPLOY_SSH_TRANSPORT", "libssh2"},
                                       {"DOKPLOY_SSH_AUTH", "key"},
                                       {"DOKPLOY_PLUGIN_PATH", libssh2 + ":" + key}};
   const auto result = run({"create"}, silent_endpoint);
   EXPECT_EQ(result.exit_code, 1) << result.err;
   EXPECT_EQ(result.out, "");
   expect_actionable_failure(result);
   EXPECT_THAT(last_line(result.err), HasSubstr("does not answer SSH"));
   EXPECT_THAT(result.err, HasSubstr("fake backend deletes m1")) << "the backend's delete was not called";
   EXPECT_FALSE(std::filesystem::exists(machine_folder() + "/dokploy-provider-state.json"));
   EXPECT_EQ(run({"status"}, silent_endpoint).out, "NotFound\n");
}

TEST_F(Lifecycle, FailedCheckAfterCreateKeepsWhatWasMadeWhenAskedTo) {
   const auto result =
       run({"create"},
           {{"FAKE_SSH_PORT", "2200"}, {"FAKE_TRANSPORT_FAIL", "connect"}, {"DOKPLOY_KEEP_FAILED", "true"}});
   EXPECT_EQ(result.exit_code, 1);
   EXPECT_THAT(result.err, Not(HasSubstr("fake backend deletes")));
   EXPECT_THAT(result.err, HasSubstr("keeping workspace m1 for inspection (DOKPLOY_KEEP_FAILED)"));
   EXPECT_TRUE(std::filesystem::exists(machine_folder() + "/dokploy-provider-state.json"));
}

TEST_F(Lifecycle, FailedCheckAfterCreatingAMachineThatExistedNeverDeletesIt) {
   create();
   const auto result = run({"create"}, {{"FAKE_SSH_PORT", "2200"}, {"FAKE_TRANSPORT_FAIL", "connect"}});
   EXPECT_EQ(result.exit_code, 1);
   EXPECT_THAT(last_line(result.err), HasSubstr("does not answer SSH"));
   EXPECT_THAT(result.err, Not(HasSubstr("fake backend deletes")));
   EXPECT_TRUE(std::filesystem::exists(machine_folder() + "/dokploy-provider-state.json"));
}

TEST_F(Lifecycle, DoctorSpeaksOfTheWorkspaceInWordsThatFitAnyBackend) {
   auto result = run({"doctor"});
   EXPECT_EQ(result.exit_code, 1);
   EXPECT_THAT(result.out, HasSubstr("\xe2\x9c\x97 workspace: the backend has no workspace m1"));
   create();
   result = run({"doctor"}, {{"FAKE_FAIL", "remote"}});
   EXPECT_THAT(result.out, HasSubstr("workspace: test.fake: FAKE_FAIL=remote makes status fail\n"
                                     "    fix: see the backend's checks above"));
   EXPECT_THAT(result.out, Not(HasSubstr("service")));
   EXPECT_THAT(result.out, Not(HasSubstr("token")));
}

TEST_F(Lifecycle, InitChecksThePlatformAndExitsByTheKindOfFailure) {
   auto result = run({"init"});
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "");
   EXPECT_THAT(result.err, HasSubstr("fake server: answers"));
   result = run({"init"}, {{"FAKE_FAIL", "connect"}});
   EXPECT_EQ(result.exit_code, 1);
   expect_actionable_failure(result);
   result = run({"init"}, {{"FAKE_FAIL", "config"}});
   EXPECT_EQ(result.exit_code, 2);
   expect_actionable_failure(result);
}

TEST_F(Lifecycle, StateFileOfAnotherMachineIsRecoveredFromWithAWarning) {
   create();
   // The folder of m1 copied for m2 (DevPod never does this; a person might).
   const auto result = run({"status"}, {{"MACHINE_ID", "m2"}});
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "NotFound\n");
   EXPECT_THAT(result.err, HasSubstr("it belongs to machine 'm1'"));
}

TEST_F(Lifecycle, CorruptStateFileIsRecoveredFromWithAWarning) {
   create();
   dir_.write("machines/m1/dokploy-provider-state.json", "{ not json");
   const auto result = run({"status"}, {{"FAKE_STATE", "stopped"}});
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "Stopped\n");
   EXPECT_THAT(result.err, HasSubstr("is unusable (it is not a JSON object)"));
}

}  // namespace
}  // namespace dpp::test::cli

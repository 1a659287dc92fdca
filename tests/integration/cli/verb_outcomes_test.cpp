// Exit codes across the verbs: 0 on success, 2 for usage and configuration errors, the remote
// command's own code for `command`, 255 when the transport fails, 1 otherwise; every failure ends
// with one line a person can act on, and stdout carries only what DevPod reads.
#include <gmock/gmock.h>

#include <filesystem>
#include <regex>

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
   // A create that fails through `failure`, then a status that answers NotFound, even where the
   // platform calls the workspace running (a service the failed create left behind).
   void fail_create_then_expect_not_found(const std::pair<std::string, std::string>& failure) {
      const auto created = run({"create"}, {{"FAKE_SSH_PORT", "2200"}, {failure.first, failure.second}});
      ASSERT_EQ(created.exit_code, 1) << created.err;
      const auto status = run({"status"}, {{"FAKE_STATE", "running"}, {"FAKE_SSH_PORT", "2200"}});
      EXPECT_EQ(status.exit_code, 0) << status.err;
      EXPECT_EQ(status.out, "NotFound\n");
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
   EXPECT_THAT(result.out, HasSubstr("fake server: answers"));
   result = run({"init"}, {{"FAKE_FAIL", "connect"}});
   EXPECT_EQ(result.exit_code, 1);
   expect_actionable_failure(result);
   result = run({"init"}, {{"FAKE_FAIL", "config"}});
   EXPECT_EQ(result.exit_code, 2);
   expect_actionable_failure(result);
}

// DevPod keeps a machine whose create failed (`devpod machine create`) and runs `command` on it
// every few seconds while it waits for its agent: status must send it back to create, and
// command must say at once that the create failed, when, why and what to run.
TEST_F(Lifecycle, AfterAFailedCreateStatusIsNotFoundAndCommandFailsAtOnceNamingTheCreate) {
   fail_create_then_expect_not_found({"FAKE_FAIL", "remote"});

   const auto command = run({"command"}, {{"COMMAND", "true"}, {"FAKE_SSH_PORT", "2200"}});
   EXPECT_EQ(command.exit_code, 255);
   EXPECT_EQ(command.out, "");
   ASSERT_EQ(lines_of(command.err).size(), 1u) << command.err;
   EXPECT_THAT(command.err,
               StartsWith("dokploy-provider: command failed: the create of workspace m1 failed at 2"));
   EXPECT_THAT(command.err, HasSubstr("(test.fake: FAKE_FAIL=remote makes create fail); run `devpod up` to "
                                      "create it, or `devpod machine delete m1`\n"));

   // A create that succeeds clears it.
   create();
   const auto after = run({"command"}, {{"COMMAND", "exit 7"}});
   EXPECT_EQ(after.exit_code, 7) << after.err;
}

// The host checks the endpoint the backend reports; when that fails, the platform's service may
// run on, but DevPod must not take the machine for a running one.
TEST_F(Lifecycle, CreateWhoseEndpointNeverAnsweredLeavesAMachineThatIsNotFound) {
   fail_create_then_expect_not_found({"FAKE_TRANSPORT_FAIL", "connect"});
}

// A machine folder no create wrote (DevPod removes the folder of a failed `devpod up`): the
// credentials are missing because the workspace was never created, not because of another folder.
TEST_F(Lifecycle, CommandForAMachineNeverCreatedSaysSoWithWhatToRun) {
   const std::string key_plugin = copy_plugin(DPP_CLI_KEY_PLUGIN, "real", "dpp-key.so");
   std::filesystem::create_directories(machine_folder());  // DevPod makes it before any verb
   const auto result = run({"command"}, {{"COMMAND", "true"}, {"DOKPLOY_SSH_AUTH", key_plugin}});
   EXPECT_EQ(result.exit_code, 255);
   EXPECT_EQ(result.out, "");
   ASSERT_EQ(lines_of(result.err).size(), 1u) << result.err;
   EXPECT_EQ(result.err, "dokploy-provider: command failed: workspace m1 was never created from " +
                             machine_folder() +
                             " (no state file there); run `devpod up` to create it, or `devpod machine "
                             "delete m1`\n");
}

// A line names where it comes from once: the host ("dokploy-provider") or the plugin (its id).
// In a terminal it carries its time and level; under DevPod, which adds its own time and level
// word ("info") to every line of a provider, an information line carries neither, and another
// level says itself after the origin.
TEST_F(Lifecycle, LogLinesNameTheirOriginOnceAndLeaveTimeAndInfoToDevPod) {
   create();
   const auto in_terminal = run({"stop"});
   ASSERT_EQ(in_terminal.exit_code, 0) << in_terminal.err;
   const std::regex terminal_line(R"(\[ *[0-9]+\.[0-9]{2}s\] info  (dokploy-provider|test\.fake): [^:].*)");
   for (const auto& line : lines_of(in_terminal.err))
      EXPECT_TRUE(std::regex_match(line, terminal_line)) << line;
   EXPECT_THAT(in_terminal.err, HasSubstr("] info  test.fake: fake backend stops m1\n"));

   const auto under_devpod = run({"stop"}, {{"DEVPOD", "/usr/local/bin/devpod"}});
   ASSERT_EQ(under_devpod.exit_code, 0) << under_devpod.err;
   EXPECT_EQ(under_devpod.err,
             "dokploy-provider: stopping workspace m1\n"
             "test.fake: fake backend stops m1\n"
             "dokploy-provider: workspace m1 is stopped\n");

   const auto status = run({"status", "-v"}, {{"DEVPOD", "/usr/local/bin/devpod"}});
   EXPECT_THAT(status.err, HasSubstr("\ntest.fake: warning: fake backend warns while reporting m1\n"));
   EXPECT_THAT(status.err, HasSubstr("\ntest.fake: debug: fake backend status detail for m1\n"));

   // init gets no DEVPOD, but the binary's variable of provider.yaml, as every verb does.
   const auto init = run({"init", "-v"}, {{"DOKPLOY_PROVIDER", provider()}});
   ASSERT_EQ(init.exit_code, 0) << init.err;
   ASSERT_FALSE(init.err.empty());
   for (const auto& line : lines_of(init.err))
      EXPECT_TRUE(line.starts_with("dokploy-provider: debug: ") || line.starts_with("test.fake: debug: "))
          << line;

   const auto forced = run({"--log-format", "text", "stop"}, {{"DEVPOD", "/usr/local/bin/devpod"}});
   ASSERT_FALSE(forced.err.empty());
   for (const auto& line : lines_of(forced.err)) EXPECT_TRUE(std::regex_match(line, terminal_line)) << line;
}

// DevPod shows init's stdout as information and its stderr as errors (`devpod provider add`).
TEST_F(Lifecycle, InitReportsPassedChecksOnStdoutAndFailedOnesOnStderr) {
   auto result = run({"init"});
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_THAT(result.out, HasSubstr("✓ configuration: options valid"));
   EXPECT_THAT(result.out, HasSubstr("✓ fake server: answers"));
   EXPECT_EQ(result.err, "");

   result = run({"init"}, {{"FAKE_FAIL", "connect"}});
   EXPECT_EQ(result.exit_code, 1);
   EXPECT_THAT(result.out, HasSubstr("✓ configuration: options valid"));
   EXPECT_THAT(result.out, Not(HasSubstr("✗")));
   EXPECT_THAT(result.err, HasSubstr("✗ fake server: FAKE_FAIL=connect\n    fix: unset FAKE_FAIL\n"));
   EXPECT_THAT(result.err, Not(HasSubstr("✓")));
   EXPECT_THAT(last_line(result.err),
               HasSubstr("dokploy-provider: init failed: fake server: FAKE_FAIL=connect"));
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

// `status` as DevPod reads it: exactly one word and a newline on stdout, whatever the log level;
// logs and failures on stderr only.
#include <gmock/gmock.h>

#include "cli_fixture.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::cli {
namespace {

using ::testing::HasSubstr;

class Status : public CliTest {
 protected:
   ProcessResult status(const std::string& state, std::vector<std::string> extra_args = {}) {
      std::vector<std::string> args = std::move(extra_args);
      args.push_back("status");
      return run(args, {{"FAKE_STATE", state}, {"FAKE_SSH_PORT", std::to_string(banner_.port())}});
   }
   SshBanner banner_;
};

TEST_F(Status, RunningWorkspaceThatAnswersSshIsRunning) {
   const auto result = status("running");
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "Running\n");
}

TEST_F(Status, RunningWorkspaceWhoseSshIsSilentIsBusy) {
   const auto result =
       run({"status"}, {{"FAKE_STATE", "running"}, {"FAKE_SSH_PORT", std::to_string(free_tcp_port())}});
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "Busy\n");
}

TEST_F(Status, EachBackendStateBecomesOneOfDevpodsFourWords) {
   EXPECT_EQ(status("busy").out, "Busy\n");
   EXPECT_EQ(status("stopped").out, "Stopped\n");
   EXPECT_EQ(status("failed").out, "Stopped\n");
   EXPECT_EQ(status("not-found").out, "NotFound\n");
}

TEST_F(Status, MachineNeverCreatedIsNotFound) {
   const auto result = status("recorded");
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "NotFound\n");
}

TEST_F(Status, TraceLoggingStillLeavesOnlyTheWordOnStdout) {
   const auto result = status("running", {"-vv"});
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "Running\n");
   EXPECT_THAT(result.err, HasSubstr("fake backend reports the status of m1"));
   EXPECT_THAT(result.err, HasSubstr("fake backend status detail for m1"));
}

TEST_F(Status, DevpodDebugSwitchAlsoLogsToStderrOnly) {
   const auto result = run({"status"}, {{"FAKE_STATE", "running"},
                                        {"FAKE_SSH_PORT", std::to_string(banner_.port())},
                                        {"DEVPOD_DEBUG", "true"}});
   EXPECT_EQ(result.out, "Running\n");
   EXPECT_THAT(result.err, HasSubstr("fake backend status detail for m1"));
}

TEST_F(Status, JsonLogsGoToStderrAsOneObjectPerLine) {
   const auto result = status("stopped", {"-v", "--log-format", "json"});
   EXPECT_EQ(result.out, "Stopped\n");
   ASSERT_FALSE(result.err.empty());
   for (const auto& line : lines_of(result.err)) {
      EXPECT_EQ(line.front(), '{') << line;
      EXPECT_EQ(line.back(), '}') << line;
   }
}

TEST_F(Status, WarningsOfThePluginReachStderrByDefaultAndNothingElse) {
   const auto result = status("stopped");
   EXPECT_EQ(result.out, "Stopped\n");
   EXPECT_THAT(result.err, HasSubstr("test.fake: fake backend warns while reporting m1"));
   EXPECT_THAT(result.err, ::testing::Not(HasSubstr("fake backend reports the status")));
}

TEST_F(Status, BackendFailureExitsOneWithNothingOnStdoutAndOneActionableLine) {
   const auto result = run({"status"}, {{"FAKE_FAIL", "remote"}});
   EXPECT_EQ(result.exit_code, 1);
   EXPECT_EQ(result.out, "");
   EXPECT_EQ(last_line(result.err),
             "dokploy-provider: status failed: test.fake: FAKE_FAIL=remote makes status fail");
}

TEST_F(Status, BackendConfigurationFailureExitsTwo) {
   const auto result = run({"status"}, {{"FAKE_FAIL", "config"}});
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_EQ(result.out, "");
   EXPECT_THAT(last_line(result.err), HasSubstr("FAKE_FAIL=config makes status fail; unset FAKE_FAIL"));
}

TEST_F(Status, ExceptionInsideThePluginIsAnInternalErrorNotACrash) {
   const auto result = run({"status"}, {{"FAKE_FAIL", "internal"}});
   EXPECT_EQ(result.exit_code, 1);
   EXPECT_EQ(result.out, "");
   EXPECT_THAT(last_line(result.err), HasSubstr("internal error: FAKE_FAIL=internal makes status fail"));
}

TEST_F(Status, MissingMachineIdIsAUsageErrorSayingHowToPassIt) {
   const auto result = run({"status"}, {{"MACHINE_ID", std::nullopt}});
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_EQ(result.out, "");
   EXPECT_THAT(last_line(result.err), HasSubstr("MACHINE_ID is not set"));
   EXPECT_THAT(last_line(result.err), HasSubstr("--machine-id"));
}

TEST_F(Status, MalformedMachineIdIsRefusedBeforeAnyFileIsTouched) {
   const auto result = run({"status"}, {{"MACHINE_ID", "../../etc"}});
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_THAT(last_line(result.err), HasSubstr("MACHINE_ID='../../etc' is not a machine id"));
}

TEST_F(Status, MachineIdFromTheCommandLineIsUsedOutsideDevpod) {
   const auto result =
       run({"--machine-id", "m2", "--machine-folder", dir_.file("m2"), "status"},
           {{"MACHINE_ID", std::nullopt}, {"MACHINE_FOLDER", std::nullopt}, {"FAKE_STATE", "stopped"}});
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "Stopped\n");
}

}  // namespace
}  // namespace dpp::test::cli

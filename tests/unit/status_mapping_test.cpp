// DevPod's status word from the backend's state and the SSH probe.
#include <gtest/gtest.h>

#include <dpp/backend.h>

#include "lifecycle/status_mapping.hpp"

namespace dpp::core {
namespace {

constexpr int64_t kNow = 1'000'000'000;

TEST(StatusMapping, FailedWorkspaceIsStoppedNeverNotFound) {
   EXPECT_EQ(decide_status(DPP_WORKSPACE_FAILED, false, std::nullopt, kNow).status, DevpodStatus::stopped);
}

TEST(StatusMapping, MissingWorkspaceIsNotFound) {
   EXPECT_EQ(decide_status(DPP_WORKSPACE_NOT_FOUND, false, std::nullopt, kNow).status,
             DevpodStatus::not_found);
}

TEST(StatusMapping, DeployInProgressIsBusy) {
   EXPECT_EQ(decide_status(DPP_WORKSPACE_BUSY, false, std::nullopt, kNow).status, DevpodStatus::busy);
}

TEST(StatusMapping, RunningAndAnsweringIsRunningAndClearsTheSilenceMark) {
   const auto decision = decide_status(DPP_WORKSPACE_RUNNING, true, kNow - 5000, kNow);
   EXPECT_EQ(decision.status, DevpodStatus::running);
   EXPECT_FALSE(decision.unreachable_since_ms.has_value());
}

TEST(StatusMapping, RunningButSilentIsBusyAndRemembersSince) {
   const auto decision = decide_status(DPP_WORKSPACE_RUNNING, false, std::nullopt, kNow);
   EXPECT_EQ(decision.status, DevpodStatus::busy);
   EXPECT_EQ(decision.unreachable_since_ms, kNow);
}

TEST(StatusMapping, RunningButSilentPastTheBoundIsStoppedSoDevpodStartsIt) {
   const auto decision = decide_status(DPP_WORKSPACE_RUNNING, false, kNow - kUnreachableBoundMs, kNow);
   EXPECT_EQ(decision.status, DevpodStatus::stopped);
}

TEST(StatusMapping, WordsAreTheFourDevpodAccepts) {
   EXPECT_STREQ(devpod_status_word(DevpodStatus::running), "Running");
   EXPECT_STREQ(devpod_status_word(DevpodStatus::busy), "Busy");
   EXPECT_STREQ(devpod_status_word(DevpodStatus::stopped), "Stopped");
   EXPECT_STREQ(devpod_status_word(DevpodStatus::not_found), "NotFound");
}

}  // namespace
}  // namespace dpp::core

// sdk::retry_while_starting, the loop the host's wait_for_endpoint and both SSH transports share:
// the back-off, when it gives up and what it then says, and stop requests.
#include <gtest/gtest.h>

#include <dpp/cpp/startup_retry.hpp>

#include <stdexcept>
#include <thread>
#include <vector>

namespace dpp::test {
namespace {

using Clock = std::chrono::steady_clock;
using sdk::AttemptFailure;

// Hooks that record the debug lines and do not sleep (the loop's waits are not under test).
struct Recorder {
   std::vector<std::string> lines;
   int sleeps = 0;
   bool stop = false;
   sdk::RetryHooks hooks() {
      return {[this](const std::string& line) { lines.push_back(line); },
              [this](Clock::time_point) {
                 ++sleeps;
                 return !stop;
              }};
   }
};

AttemptFailure refused() {
   return {DPP_E_CONNECT, "cannot connect to w:2222: Connection refused", true};
}

TEST(StartupRetry, RetriesRefusedConnectionsWithADoublingBackOffUntilOneSucceeds) {
   Recorder recorder;
   int attempts = 0;
   const auto failure = sdk::retry_while_starting(
       "w:2222", Clock::now() + std::chrono::hours(1),
       [&]() -> std::optional<AttemptFailure> {
          if (++attempts < 6) return refused();
          return std::nullopt;
       },
       recorder.hooks());
   EXPECT_FALSE(failure.has_value());
   EXPECT_EQ(attempts, 6);
   ASSERT_EQ(recorder.lines.size(), 6u);
   EXPECT_EQ(
       recorder.lines[0],
       "no SSH server at w:2222 yet (cannot connect to w:2222: Connection refused); retrying in 100 ms");
   EXPECT_NE(recorder.lines[1].find("retrying in 200 ms"), std::string::npos);
   EXPECT_NE(recorder.lines[2].find("retrying in 400 ms"), std::string::npos);
   EXPECT_NE(recorder.lines[3].find("retrying in 800 ms"), std::string::npos);
   EXPECT_NE(recorder.lines[4].find("retrying in 1000 ms"), std::string::npos);
   EXPECT_EQ(recorder.lines[5].rfind("connected to w:2222 after 6 attempts in ", 0), 0u) << recorder.lines[5];
}

TEST(StartupRetry, AFailureThatIsNotRetryableIsReturnedAtOnceAsItCame) {
   Recorder recorder;
   int attempts = 0;
   const auto failure = sdk::retry_while_starting(
       "w:2222", Clock::now() + std::chrono::hours(1),
       [&]() -> std::optional<AttemptFailure> {
          ++attempts;
          return AttemptFailure{DPP_E_HOST_KEY_MISMATCH, "another host key answered", false};
       },
       recorder.hooks());
   ASSERT_TRUE(failure.has_value());
   EXPECT_EQ(failure->status, DPP_E_HOST_KEY_MISMATCH);
   EXPECT_EQ(failure->message, "another host key answered");
   EXPECT_EQ(attempts, 1);
   EXPECT_EQ(recorder.sleeps, 0);
}

TEST(StartupRetry, GivesUpWithTheLastFailureAndHowOftenItTriedOnceTheDeadlineLeavesNoRoom) {
   Recorder recorder;
   const auto deadline = Clock::now() + std::chrono::seconds(1);
   int attempts = 0;
   const auto failure = sdk::retry_while_starting(
       "w:2222", deadline,
       [&]() -> std::optional<AttemptFailure> {
          if (++attempts == 2) std::this_thread::sleep_until(deadline);  // the deadline passes meanwhile
          return refused();
       },
       recorder.hooks());
   ASSERT_TRUE(failure.has_value());
   EXPECT_EQ(attempts, 2);
   EXPECT_EQ(failure->status, DPP_E_CONNECT);
   EXPECT_EQ(failure->message.rfind("cannot connect to w:2222: Connection refused (tried 2 times in ", 0), 0u)
       << failure->message;
   EXPECT_NE(failure->message.find(" s; is the workspace running?)"), std::string::npos) << failure->message;
}

TEST(StartupRetry, ASingleAttemptPastTheDeadlineSaysNothingAboutTries) {
   Recorder recorder;
   const auto failure = sdk::retry_while_starting(
       "w:2222", Clock::now(), [&]() -> std::optional<AttemptFailure> { return refused(); },
       recorder.hooks());
   ASSERT_TRUE(failure.has_value());
   EXPECT_EQ(failure->message, "cannot connect to w:2222: Connection refused");
}

TEST(StartupRetry, AStopRequestWhileWaitingEndsTheLoopAsCancelled) {
   Recorder recorder;
   recorder.stop = true;
   int attempts = 0;
   const auto failure = sdk::retry_while_starting(
       "w:2222", Clock::now() + std::chrono::hours(1),
       [&]() -> std::optional<AttemptFailure> {
          ++attempts;
          return refused();
       },
       recorder.hooks());
   ASSERT_TRUE(failure.has_value());
   EXPECT_EQ(failure->status, DPP_E_CANCELLED);
   EXPECT_EQ(failure->message, "cancelled while connecting to w:2222");
   EXPECT_EQ(attempts, 1);
}

TEST(StartupRetry, ExceptionsOfAnAttemptPassThrough) {
   Recorder recorder;
   EXPECT_THROW(
       sdk::retry_while_starting(
           "w:2222", Clock::now() + std::chrono::hours(1),
           []() -> std::optional<AttemptFailure> { throw std::runtime_error("boom"); }, recorder.hooks()),
       std::runtime_error);
}

}  // namespace
}  // namespace dpp::test

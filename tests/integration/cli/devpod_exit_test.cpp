// A failing init, create, delete, start or stop under DevPod ends its output before it exits.
// DevPod v0.5.7 logs those verbs' lines from a goroutine and calls os.Exit as soon as the provider
// exits non-zero (cmd/root.go): output that ends only at the exit can lose its last lines, the
// very error the user needs. So the host closes stdout and stderr first and exits a moment later
// (host/devpod_exit.hpp); these tests check that order, the one thing DevPod can rely on.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <poll.h>
#include <unistd.h>

#include <array>

#include "cli_fixture.hpp"

namespace dpp::test::cli {
namespace {

using ::testing::StartsWith;

struct Ended {
   std::string out;
   std::string err;
   bool alive_after_output_ended = false;
   int exit_code = -1;
};

class DevPodExit : public CliTest {
 protected:
   // Runs the provider with `args` and `changes` like DevPod does (DEVPOD set), reads stdout and
   // stderr to their end, then looks whether the process is still there before waiting for it.
   Ended run_reading_to_the_end(const std::vector<std::string>& args, const EnvChanges& changes) const {
      std::array<int, 2> out{}, err{};
      if (::pipe2(out.data(), O_CLOEXEC) != 0 || ::pipe2(err.data(), O_CLOEXEC) != 0)
         throw std::runtime_error("pipe2");
      EnvChanges with_devpod = changes;
      with_devpod["DEVPOD"] = "/usr/local/bin/devpod";
      ProcessOptions options = provider_run(args, with_devpod);
      options.stdout_fd = out[1];
      options.stderr_fd = err[1];
      ChildProcess child(options);
      ::close(out[1]);
      ::close(err[1]);
      Ended ended;
      std::array<pollfd, 2> fds{pollfd{out[0], POLLIN, 0}, pollfd{err[0], POLLIN, 0}};
      std::array<std::string*, 2> into{&ended.out, &ended.err};
      int open = 2;
      while (open > 0) {
         if (::poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR) continue;
            break;
         }
         for (std::size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char buffer[4096];
            const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
            if (n > 0) {
               into[i]->append(buffer, static_cast<std::size_t>(n));
            } else if (n == 0 || errno != EINTR) {
               ::close(fds[i].fd);
               fds[i].fd = -1;
               --open;
            }
         }
      }
      ended.alive_after_output_ended = child.alive();
      ended.exit_code = child.wait_for(std::chrono::minutes(2)).value_or(-1);
      return ended;
   }
};

TEST_F(DevPodExit, FailedMachineVerbsEndTheirOutputBeforeTheyExit) {
   for (const char* verb : {"init", "create", "start", "stop", "delete"}) {
      SCOPED_TRACE(verb);
      const Ended ended = run_reading_to_the_end({verb}, {{"FAKE_FAIL", "remote"}});
      EXPECT_NE(ended.exit_code, 0) << ended.err;
      EXPECT_TRUE(ended.alive_after_output_ended) << "the output ended only with the process";
      EXPECT_THAT(last_line(ended.err), StartsWith("dokploy-provider: ")) << ended.err;
   }
}

TEST_F(DevPodExit, SucceedingVerbsAndStatusStillSayEverything) {
   // A verb that succeeds, and `status`, whose output DevPod reads whole, have nothing to wait for;
   // what they print is unchanged.
   const Ended created = run_reading_to_the_end({"create"}, {{"FAKE_SSH_PORT", "2200"}});
   EXPECT_EQ(created.exit_code, 0) << created.err;
   EXPECT_FALSE(created.out.empty()) << "create prints the machine for DevPod";
   const Ended status = run_reading_to_the_end({"status"}, {{"FAKE_FAIL", "remote"}});
   EXPECT_NE(status.exit_code, 0) << status.err;
   EXPECT_THAT(last_line(status.err), StartsWith("dokploy-provider: status failed")) << status.err;
}

}  // namespace
}  // namespace dpp::test::cli

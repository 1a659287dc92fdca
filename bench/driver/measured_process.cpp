// fork/exec/wait4 with timing and rusage.
#include "measured_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace dpp::bench {

double now_seconds() {
   timespec now{};
   ::clock_gettime(CLOCK_MONOTONIC, &now);
   return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

MeasuredProcess::MeasuredProcess(const Launch& launch) {
   std::vector<std::string> env_strings;
   for (const auto& [name, value] : launch.env) env_strings.push_back(name + "=" + value);
   std::vector<char*> envp;
   for (auto& entry : env_strings) envp.push_back(entry.data());
   envp.push_back(nullptr);
   std::vector<std::string> args = launch.argv;
   std::vector<char*> argv;
   for (auto& arg : args) argv.push_back(arg.data());
   argv.push_back(nullptr);
   // stderr goes to an anonymous file, read after the exit (for error messages only).
   err_fd_ = ::memfd_create("dpp-bench-stderr", MFD_CLOEXEC);
   const int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
   if (err_fd_ < 0 || null_fd < 0) throw std::runtime_error("cannot open /dev/null or a memfd");
   const int in = launch.stdin_fd >= 0 ? launch.stdin_fd : null_fd;
   const int out = launch.stdout_fd >= 0 ? launch.stdout_fd : null_fd;

   start_seconds_ = now_seconds();
   pid_ = ::fork();
   if (pid_ < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
   if (pid_ == 0) {
      // Lift the descriptors above 2 first, so that dup2 cannot overwrite one still needed.
      const int in_copy = ::fcntl(in, F_DUPFD, 10), out_copy = ::fcntl(out, F_DUPFD, 10),
                err_copy = ::fcntl(err_fd_, F_DUPFD, 10);
      if (in_copy < 0 || out_copy < 0 || err_copy < 0 || ::dup2(in_copy, 0) < 0 || ::dup2(out_copy, 1) < 0 ||
          ::dup2(err_copy, 2) < 0)
         ::_exit(126);
      ::syscall(SYS_close_range, 3, ~0U, 0);
      sigset_t none;
      sigemptyset(&none);
      ::sigprocmask(SIG_SETMASK, &none, nullptr);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
   }
   ::close(null_fd);
}

MeasuredProcess::~MeasuredProcess() {
   if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
   }
   if (err_fd_ >= 0) ::close(err_fd_);
}

Outcome MeasuredProcess::wait() {
   Outcome outcome;
   int status = 0;
   rusage usage{};
   pid_t done;
   while ((done = ::wait4(pid_, &status, 0, &usage)) < 0 && errno == EINTR) {
   }
   outcome.seconds = now_seconds() - start_seconds_;
   if (done != pid_) throw std::runtime_error(std::string("wait4 failed: ") + std::strerror(errno));
   reaped_ = true;
   outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
   outcome.max_rss_kb = usage.ru_maxrss;
   char buffer[65536];
   const ssize_t n = ::pread(err_fd_, buffer, sizeof buffer, 0);
   if (n > 0) outcome.err.assign(buffer, static_cast<std::size_t>(n));
   return outcome;
}

Outcome run_measured(const Launch& launch) {
   MeasuredProcess process(launch);
   return process.wait();
}

const Outcome& require_success(const Outcome& outcome, const std::string& what) {
   if (outcome.exit_code != 0)
      throw std::runtime_error(what + " exited " + std::to_string(outcome.exit_code) + ": " + outcome.err);
   return outcome;
}

}  // namespace dpp::bench

// Child processes for tests: run one to completion with captured output, or keep one running
// (a server) and stop it by PID — always, also when the test fails.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dpp::test {

using EnvMap = std::map<std::string, std::string>;

struct ProcessOptions {
   std::vector<std::string> argv;
   // The whole environment of the child; nullopt inherits the test's.
   std::optional<EnvMap> env;
   // Written to the child's stdin, then closed. nullopt: stdin is /dev/null (unless stdin_fd).
   std::optional<std::string> stdin_data;
   std::string working_dir;
   // Explicit descriptors for the child (-1: decided by the fields above). Not closed here.
   int stdin_fd = -1;
   int stdout_fd = -1;
   int stderr_fd = -1;
};

struct ProcessResult {
   int exit_code = -1;  // the exit status, or 128 + signal
   int signal = 0;      // the signal that killed it, or 0
   std::string out;
   std::string err;
   bool timed_out = false;
   double seconds = 0;
};

// Runs to completion (killed after `timeout`), capturing stdout and stderr.
ProcessResult run_process(const ProcessOptions& options,
                          std::chrono::milliseconds timeout = std::chrono::seconds(180));

class ChildProcess {
 public:
   // Starts `options` in its own process group; stdout/stderr go to the given fds or to
   // `log_file` when set (else inherited).
   explicit ChildProcess(const ProcessOptions& options, const std::string& log_file = "");
   ~ChildProcess();
   ChildProcess(const ChildProcess&) = delete;
   ChildProcess& operator=(const ChildProcess&) = delete;
   ChildProcess(ChildProcess&& other) noexcept;

   pid_t pid() const { return pid_; }
   bool alive();
   // Sends `signal` to the whole process group.
   void signal(int signal);
   // Waits up to `timeout` for the exit; the exit code (128+signal when killed), or nullopt.
   std::optional<int> wait_for(std::chrono::milliseconds timeout);
   // SIGTERM, then SIGKILL after `grace`; returns the exit code.
   int stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

 private:
   pid_t pid_ = -1;
   std::optional<int> exit_code_;
};

// The environment of the test process, as a map (to start from and adjust).
EnvMap current_environment();

}  // namespace dpp::test

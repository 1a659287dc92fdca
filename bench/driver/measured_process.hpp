// A child process measured the way the figures need it: wall time from just before fork() to
// the reap, and the peak RSS the kernel reports for it (wait4 rusage: the process and the
// descendants it waited for, e.g. the ssh the system transport starts).
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace dpp::bench {

using Environment = std::map<std::string, std::string>;

struct Launch {
   std::vector<std::string> argv;  // argv[0] is a path
   Environment env;                // the whole environment
   int stdin_fd = -1;              // -1: /dev/null
   int stdout_fd = -1;             // -1: /dev/null
};

struct Outcome {
   int exit_code = -1;  // 128 + signal when killed
   double seconds = 0;
   long max_rss_kb = 0;
   std::string err;  // what it wrote to stderr (the first 64 KiB)
};

class MeasuredProcess {
 public:
   explicit MeasuredProcess(const Launch& launch);
   ~MeasuredProcess();
   MeasuredProcess(const MeasuredProcess&) = delete;
   MeasuredProcess& operator=(const MeasuredProcess&) = delete;

   pid_t pid() const { return pid_; }
   // Waits for the exit (reaps it).
   Outcome wait();

 private:
   pid_t pid_ = -1;
   int err_fd_ = -1;
   bool reaped_ = false;
   double start_seconds_ = 0;
};

// Runs to completion.
Outcome run_measured(const Launch& launch);

// Throws std::runtime_error naming the command and its stderr unless it exited 0.
const Outcome& require_success(const Outcome& outcome, const std::string& what);

// Monotonic seconds (for the loops that time round trips themselves).
double now_seconds();

}  // namespace dpp::bench

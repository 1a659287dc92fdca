// A running exec of a provider with its stdin, stdout and stderr as pipes, pumped without
// deadlock in both directions (DevPod's agent injection and SSH tunnel use `command` this way),
// and cancelled as DevPod cancels: SIGINT, then SIGKILL 2 s later.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "support/child_process.hpp"

namespace dpp::test::devpod {

struct ExecResult {
   std::string verb;
   int exit_code = -1;
   int signal = 0;
   std::string out;
   std::string err;
   double seconds = 0;
   bool cancelled = false;       // SIGINT was sent
   bool needed_sigkill = false;  // still alive 2 s after SIGINT
   bool hung = false;            // the test's hang guard fired (not a DevPod behaviour)
   // The provider exited but something it started still held its stdout or stderr open: a Go
   // program like DevPod then waits for EOF that never comes.
   bool pipes_held_after_exit = false;
   bool ok() const { return exit_code == 0 && !hung && !pipes_held_after_exit; }
   // One line for failure messages: verb, exit, and both streams.
   std::string describe() const;
};

// A running `command` exec with its stdin, stdout and stderr as pipes (DevPod's agent injection
// and its SSH tunnel use it this way). Everything it started is killed when it goes away.
class CommandSession {
 public:
   // `interrupted` (may be null): when it turns true, the session cancels itself like DevPod on
   // Ctrl-C.
   CommandSession(const std::string& shell, const std::string& exec_text, const EnvMap& env,
                  const std::atomic<bool>* interrupted = nullptr);
   // Any program, started without a shell (the real DevPod CLI).
   CommandSession(const std::vector<std::string>& argv, const EnvMap& env,
                  const std::atomic<bool>* interrupted = nullptr);
   ~CommandSession();
   CommandSession(const CommandSession&) = delete;
   CommandSession& operator=(const CommandSession&) = delete;

   pid_t pid() const { return process_->pid(); }
   // True while the process has not exited.
   bool running() { return process_->alive(); }
   // Writes all of `data` to the provider's stdin while collecting its output. False when the
   // provider closed its stdin or `guard` passed.
   bool write(const std::string& data, std::chrono::milliseconds guard = std::chrono::minutes(5));
   // Closes the provider's stdin (EOF, which the provider must forward as a half-close).
   void close_stdin();
   // Collects output until `text` appears in stdout at or after offset `from`; false at EOF or
   // when `guard` passes.
   bool read_until(const std::string& text, std::size_t from, std::chrono::milliseconds guard);
   // Collects output until stdout holds at least `total` bytes; false at EOF or `guard`.
   bool read_bytes(std::size_t total, std::chrono::milliseconds guard);
   // Collects output until `text` appears in stderr; false at EOF or when `guard` passes.
   bool read_stderr_until(const std::string& text, std::chrono::milliseconds guard);
   // DevPod's cancel: SIGINT to the process, SIGKILL 2 s later if it still lives.
   void cancel();
   // Collects everything until the provider exits (or `guard` passes: hung).
   ExecResult wait(std::chrono::milliseconds guard = std::chrono::minutes(10));

   const std::string& out() const { return out_; }
   const std::string& err() const { return err_; }

 private:
   // One poll round over the descriptors; false when nothing is open any more.
   bool pump(int timeout_ms, const std::string* pending_write = nullptr, std::size_t* written = nullptr);

   // Cancels once when the owner's interrupt flag turned true.
   void check_interrupt();

   std::unique_ptr<ChildProcess> process_;
   const std::atomic<bool>* interrupted_ = nullptr;
   int stdin_fd_ = -1, stdout_fd_ = -1, stderr_fd_ = -1;
   std::string out_, err_;
   std::chrono::steady_clock::time_point started_;
   bool cancelled_ = false, needed_sigkill_ = false;
};

// Writes `stdin_data` (when not empty), closes stdin and waits: one exec with its input given up
// front, as DevPod runs most of them.
ExecResult feed_and_wait(CommandSession& session, const std::string& stdin_data,
                         std::chrono::milliseconds guard);

}  // namespace dpp::test::devpod

// A provider exec joined to three pipes and pumped with poll(), as DevPod's Go runtime copies
// its streams, with DevPod's SIGINT-then-SIGKILL cancel.
#include "support/devpod_session.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace dpp::test::devpod {
namespace {

using Clock = std::chrono::steady_clock;

void close_fd(int& fd) {
   if (fd >= 0) ::close(fd);
   fd = -1;
}

int remaining_ms(Clock::time_point deadline, int cap_ms) {
   const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
   if (left <= 0) return 0;
   return static_cast<int>(std::min<long long>(left, cap_ms));
}

// DevPod's cancel sends SIGKILL this long after SIGINT.
constexpr auto kKillDelay = std::chrono::seconds(2);

}  // namespace

std::string ExecResult::describe() const {
   std::string text = "`" + verb + "` exited " + std::to_string(exit_code);
   if (signal) text += " (signal " + std::to_string(signal) + ")";
   if (hung) text += " (HUNG: the test's guard killed it)";
   if (pipes_held_after_exit)
      text += " (but something it started still holds its stdout/stderr: DevPod would hang)";
   text += "\n--- stdout ---\n" + (out.size() > 4000 ? out.substr(0, 4000) + "…" : out);
   text += "\n--- stderr ---\n" + (err.size() > 8000 ? err.substr(err.size() - 8000) : err);
   return text;
}

CommandSession::CommandSession(const std::string& shell, const std::string& exec_text, const EnvMap& env,
                               const std::atomic<bool>* interrupted)
    : CommandSession(std::vector<std::string>{shell, "-c", exec_text}, env, interrupted) {}

CommandSession::CommandSession(const std::vector<std::string>& argv, const EnvMap& env,
                               const std::atomic<bool>* interrupted)
    : interrupted_(interrupted) {
   // A provider that closes its stdin early must not kill the test with SIGPIPE; Go ignores
   // SIGPIPE on such pipes too.
   static const bool ignored = [] {
      ::signal(SIGPIPE, SIG_IGN);
      return true;
   }();
   (void)ignored;
   int in[2], out[2], err[2];
   if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0)
      throw std::runtime_error(std::string("pipe2 failed: ") + std::strerror(errno));
   started_ = Clock::now();
   process_ = std::make_unique<ChildProcess>(
       ProcessOptions{.argv = argv, .env = env, .stdin_fd = in[0], .stdout_fd = out[1], .stderr_fd = err[1]});
   ::close(in[0]);
   ::close(out[1]);
   ::close(err[1]);
   stdin_fd_ = in[1];
   stdout_fd_ = out[0];
   stderr_fd_ = err[0];
   for (int fd : {stdin_fd_, stdout_fd_, stderr_fd_}) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

CommandSession::~CommandSession() {
   close_fd(stdin_fd_);
   close_fd(stdout_fd_);
   close_fd(stderr_fd_);
   // ChildProcess stops the whole process group by PID.
}

void CommandSession::check_interrupt() {
   if (interrupted_ && interrupted_->load() && !cancelled_) cancel();
}

bool CommandSession::pump(int timeout_ms, const std::string* pending_write, std::size_t* written) {
   check_interrupt();
   pollfd fds[3];
   int count = 0, out_index = -1, err_index = -1, in_index = -1;
   if (stdout_fd_ >= 0) {
      fds[count] = {stdout_fd_, POLLIN, 0};
      out_index = count++;
   }
   if (stderr_fd_ >= 0) {
      fds[count] = {stderr_fd_, POLLIN, 0};
      err_index = count++;
   }
   if (pending_write && stdin_fd_ >= 0 && *written < pending_write->size()) {
      fds[count] = {stdin_fd_, POLLOUT, 0};
      in_index = count++;
   }
   if (count == 0) return false;
   const int ready = ::poll(fds, static_cast<nfds_t>(count), timeout_ms);
   if (ready <= 0) return true;
   char buffer[65536];
   auto drain = [&](int index, int& fd, std::string& target) {
      if (index < 0 || !(fds[index].revents & (POLLIN | POLLHUP | POLLERR))) return;
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n > 0)
         target.append(buffer, static_cast<std::size_t>(n));
      else if (n == 0 || (errno != EINTR && errno != EAGAIN))
         close_fd(fd);
   };
   drain(out_index, stdout_fd_, out_);
   drain(err_index, stderr_fd_, err_);
   if (in_index >= 0 && (fds[in_index].revents & (POLLOUT | POLLERR | POLLHUP))) {
      const std::size_t chunk = std::min<std::size_t>(pending_write->size() - *written, 1 << 16);
      const ssize_t n = ::write(stdin_fd_, pending_write->data() + *written, chunk);
      if (n > 0)
         *written += static_cast<std::size_t>(n);
      else if (n < 0 && errno != EAGAIN && errno != EINTR)
         close_fd(stdin_fd_);  // EPIPE: the provider closed its stdin
   }
   return true;
}

bool CommandSession::write(const std::string& data, std::chrono::milliseconds guard) {
   const auto deadline = Clock::now() + guard;
   std::size_t written = 0;
   while (written < data.size()) {
      if (stdin_fd_ < 0 || Clock::now() >= deadline) return false;
      pump(remaining_ms(deadline, 200), &data, &written);
   }
   return true;
}

void CommandSession::close_stdin() {
   close_fd(stdin_fd_);
}

bool CommandSession::read_until(const std::string& text, std::size_t from, std::chrono::milliseconds guard) {
   const auto deadline = Clock::now() + guard;
   while (out_.size() < from || out_.find(text, from) == std::string::npos) {
      if (stdout_fd_ < 0 || Clock::now() >= deadline) return false;
      pump(remaining_ms(deadline, 200));
   }
   return true;
}

bool CommandSession::read_bytes(std::size_t total, std::chrono::milliseconds guard) {
   const auto deadline = Clock::now() + guard;
   while (out_.size() < total) {
      if (stdout_fd_ < 0 || Clock::now() >= deadline) return false;
      pump(remaining_ms(deadline, 200));
   }
   return true;
}

bool CommandSession::read_stderr_until(const std::string& text, std::chrono::milliseconds guard) {
   const auto deadline = Clock::now() + guard;
   while (err_.find(text) == std::string::npos) {
      if (stderr_fd_ < 0 || Clock::now() >= deadline) return false;
      pump(remaining_ms(deadline, 200));
   }
   return true;
}

void CommandSession::cancel() {
   // DevPod signals the process it started (not a process group).
   if (!cancelled_) ::kill(process_->pid(), SIGINT);
   cancelled_ = true;
   const auto kill_at = Clock::now() + kKillDelay;
   while (Clock::now() < kill_at) {
      if (process_->wait_for(std::chrono::milliseconds(0))) return;
      pump(remaining_ms(kill_at, 50));
   }
   if (!process_->wait_for(std::chrono::milliseconds(0))) {
      needed_sigkill_ = true;
      ::kill(process_->pid(), SIGKILL);
   }
}

ExecResult CommandSession::wait(std::chrono::milliseconds guard) {
   const auto deadline = Clock::now() + guard;
   ExecResult result;
   std::optional<int> exit_code;
   while (!exit_code) {
      if (Clock::now() >= deadline) {
         result.hung = true;
         ::kill(-process_->pid(), SIGKILL);
         exit_code = process_->wait_for(std::chrono::seconds(30));
         break;
      }
      if (!pump(remaining_ms(deadline, 100))) {
         // Both streams closed: only the exit is left to wait for.
         exit_code = process_->wait_for(std::chrono::milliseconds(remaining_ms(deadline, 100)));
         continue;
      }
      exit_code = process_->wait_for(std::chrono::milliseconds(0));
   }
   // Whatever is still in the pipes; a stream kept open by a leftover process is noted.
   const auto drain_until = Clock::now() + std::chrono::seconds(3);
   while ((stdout_fd_ >= 0 || stderr_fd_ >= 0) && Clock::now() < drain_until)
      pump(remaining_ms(drain_until, 100));
   result.pipes_held_after_exit = !result.hung && (stdout_fd_ >= 0 || stderr_fd_ >= 0);
   close_fd(stdin_fd_);
   close_fd(stdout_fd_);
   close_fd(stderr_fd_);
   result.exit_code = exit_code.value_or(-1);
   // ChildProcess reports a death by signal as 128 + signal.
   result.signal = result.exit_code > 128 && result.exit_code < 128 + 32 ? result.exit_code - 128 : 0;
   result.out = out_;
   result.err = err_;
   result.cancelled = cancelled_;
   result.needed_sigkill = needed_sigkill_;
   result.seconds = std::chrono::duration<double>(Clock::now() - started_).count();
   return result;
}

ExecResult feed_and_wait(CommandSession& session, const std::string& stdin_data,
                         std::chrono::milliseconds guard) {
   if (!stdin_data.empty()) session.write(stdin_data, guard);
   session.close_stdin();
   return session.wait(guard);
}

}  // namespace dpp::test::devpod

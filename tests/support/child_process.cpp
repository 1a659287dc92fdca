// Child processes for tests.
#include "support/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "support/pipe.hpp"

extern char** environ;

namespace dpp::test {
namespace {

int decode_status(int status) {
   if (WIFEXITED(status)) return WEXITSTATUS(status);
   if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
   return -1;
}

// fork + exec with the given descriptors on 0, 1, 2. The child gets its own process group.
pid_t spawn(const ProcessOptions& options, int in, int out, int err) {
   std::vector<std::string> env_strings;
   std::vector<char*> envp;
   if (options.env) {
      for (const auto& [name, value] : *options.env) env_strings.push_back(name + "=" + value);
      for (auto& entry : env_strings) envp.push_back(entry.data());
      envp.push_back(nullptr);
   }
   std::vector<std::string> args = options.argv;
   std::vector<char*> argv;
   for (auto& arg : args) argv.push_back(arg.data());
   argv.push_back(nullptr);
   const pid_t pid = ::fork();
   if (pid < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
   if (pid == 0) {
      ::setpgid(0, 0);
      // Restore what a shell would give the child: default signal dispositions and mask.
      sigset_t none;
      sigemptyset(&none);
      ::sigprocmask(SIG_SETMASK, &none, nullptr);
      for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGHUP}) ::signal(s, SIG_DFL);
      if (in >= 0) ::dup2(in, 0);
      if (out >= 0) ::dup2(out, 1);
      if (err >= 0) ::dup2(err, 2);
      if (!options.working_dir.empty() && ::chdir(options.working_dir.c_str()) != 0) ::_exit(126);
      if (options.env)
         ::execve(argv[0], argv.data(), envp.data());
      else
         ::execv(argv[0], argv.data());
      const std::string message = "exec " + options.argv[0] + " failed: " + std::strerror(errno) + "\n";
      (void)!::write(2, message.data(), message.size());
      ::_exit(127);
   }
   ::setpgid(pid, pid);
   return pid;
}

}  // namespace

EnvMap current_environment() {
   EnvMap env;
   for (char** entry = environ; entry && *entry; ++entry) {
      std::string text(*entry);
      auto equals = text.find('=');
      if (equals != std::string::npos) env[text.substr(0, equals)] = text.substr(equals + 1);
   }
   return env;
}

ProcessResult run_process(const ProcessOptions& options, std::chrono::milliseconds timeout) {
   const auto started = std::chrono::steady_clock::now();
   Pipe out_pipe, err_pipe;
   std::optional<Pipe> in_pipe;
   int in = options.stdin_fd;
   int null_fd = -1;
   if (in < 0) {
      if (options.stdin_data) {
         in_pipe.emplace();
         in = in_pipe->read;
      } else {
         null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
         in = null_fd;
      }
   }
   const pid_t pid = spawn(options, in, options.stdout_fd >= 0 ? options.stdout_fd : out_pipe.write,
                           options.stderr_fd >= 0 ? options.stderr_fd : err_pipe.write);
   if (null_fd >= 0) ::close(null_fd);
   out_pipe.close_write();
   err_pipe.close_write();
   ProcessResult result;
   std::size_t stdin_written = 0;
   if (in_pipe) {
      in_pipe->close_read();
      ::fcntl(in_pipe->write, F_SETFL, O_NONBLOCK);
      if (options.stdin_data->empty()) in_pipe->close_write();
   }
   const auto deadline = started + timeout;
   bool out_open = options.stdout_fd < 0, err_open = options.stderr_fd < 0;
   if (!out_open) out_pipe.close_read();
   if (!err_open) err_pipe.close_read();
   while (out_open || err_open || (in_pipe && in_pipe->write >= 0)) {
      pollfd fds[3];
      int count = 0;
      int out_index = -1, err_index = -1, in_index = -1;
      if (out_open) {
         fds[count] = {out_pipe.read, POLLIN, 0};
         out_index = count++;
      }
      if (err_open) {
         fds[count] = {err_pipe.read, POLLIN, 0};
         err_index = count++;
      }
      if (in_pipe && in_pipe->write >= 0) {
         fds[count] = {in_pipe->write, POLLOUT, 0};
         in_index = count++;
      }
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
         result.timed_out = true;
         ::kill(-pid, SIGKILL);
         break;
      }
      int ready = ::poll(fds, count, static_cast<int>(std::min<long long>(left.count(), 1000)));
      if (ready < 0 && errno != EINTR) break;
      char buffer[65536];
      auto drain = [&](int index, int fd, std::string& target, bool& open) {
         if (index < 0 || !(fds[index].revents & (POLLIN | POLLHUP | POLLERR))) return;
         ssize_t n = ::read(fd, buffer, sizeof buffer);
         if (n > 0)
            target.append(buffer, static_cast<std::size_t>(n));
         else if (n == 0 || errno != EINTR)
            open = false;
      };
      drain(out_index, out_pipe.read, result.out, out_open);
      drain(err_index, err_pipe.read, result.err, err_open);
      if (in_index >= 0 && (fds[in_index].revents & (POLLOUT | POLLERR | POLLHUP))) {
         const std::string& data = *options.stdin_data;
         ssize_t n = ::write(in_pipe->write, data.data() + stdin_written, data.size() - stdin_written);
         if (n > 0) stdin_written += static_cast<std::size_t>(n);
         if (n < 0 && errno != EAGAIN && errno != EINTR) in_pipe->close_write();
         if (stdin_written >= data.size()) in_pipe->close_write();
      }
   }
   int status = 0;
   while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
   }
   result.exit_code = decode_status(status);
   result.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
   result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
   return result;
}

ChildProcess::ChildProcess(const ProcessOptions& options, const std::string& log_file) {
   int log_fd = -1;
   if (!log_file.empty()) {
      log_fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
      if (log_fd < 0) throw std::runtime_error("cannot open " + log_file);
   }
   int null_fd = -1;
   int in = options.stdin_fd;
   if (in < 0) {
      null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
      in = null_fd;
   }
   pid_ = spawn(options, in, options.stdout_fd >= 0 ? options.stdout_fd : log_fd,
                options.stderr_fd >= 0 ? options.stderr_fd : log_fd);
   if (null_fd >= 0) ::close(null_fd);
   if (log_fd >= 0) ::close(log_fd);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept : pid_(other.pid_), exit_code_(other.exit_code_) {
   other.pid_ = -1;
}

ChildProcess::~ChildProcess() {
   if (pid_ > 0) stop(std::chrono::seconds(10));
}

bool ChildProcess::alive() {
   if (pid_ <= 0 || exit_code_) return false;
   return !wait_for(std::chrono::milliseconds(0)).has_value();
}

void ChildProcess::signal(int sig) {
   if (pid_ > 0 && !exit_code_) ::kill(-pid_, sig);
}

std::optional<int> ChildProcess::wait_for(std::chrono::milliseconds timeout) {
   if (exit_code_) return exit_code_;
   if (pid_ <= 0) return std::nullopt;
   const auto deadline = std::chrono::steady_clock::now() + timeout;
   while (true) {
      int status = 0;
      const pid_t done = ::waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
         exit_code_ = decode_status(status);
         return exit_code_;
      }
      if (done < 0 && errno != EINTR) return std::nullopt;
      if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
   }
}

int ChildProcess::stop(std::chrono::milliseconds grace) {
   if (pid_ <= 0) return -1;
   if (!exit_code_) {
      ::kill(-pid_, SIGTERM);
      if (!wait_for(grace)) {
         ::kill(-pid_, SIGKILL);
         wait_for(std::chrono::seconds(30));
      }
   }
   // Whatever else is left in the group (grandchildren) goes too.
   ::kill(-pid_, SIGKILL);
   return exit_code_.value_or(-1);
}

}  // namespace dpp::test

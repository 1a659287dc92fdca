// Starting and waiting for ssh/sshpass.
#include "child_process.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <string_view>
#include <thread>

extern char** environ;

namespace dpp::plugins::system_ssh {
namespace {

int decode(int status) {
   if (WIFEXITED(status)) return WEXITSTATUS(status);
   if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
   return 255;
}

// The children of `pid` as the kernel lists them (/proc/<pid>/task/<tid>/children).
std::vector<pid_t> children_of(pid_t pid) {
   std::vector<pid_t> children;
   const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
   if (DIR* dir = ::opendir(tasks.c_str())) {
      while (dirent* entry = ::readdir(dir)) {
         if (entry->d_name[0] == '.') continue;
         std::ifstream list(tasks + "/" + entry->d_name + "/children");
         long child = 0;
         while (list >> child) children.push_back(static_cast<pid_t>(child));
      }
      ::closedir(dir);
   }
   return children;
}

// The descendants of `root` (not root itself), walking down from it: cheap however many
// processes the machine runs.
std::vector<pid_t> descendants(pid_t root) {
   std::vector<pid_t> found;
   std::set<pid_t> seen{root};
   std::vector<pid_t> pending{root};
   while (!pending.empty()) {
      const pid_t pid = pending.back();
      pending.pop_back();
      for (pid_t child : children_of(pid))
         if (seen.insert(child).second) {
            found.push_back(child);
            pending.push_back(child);
         }
   }
   return found;
}

// Moves `fd` out of the range 0..3 that the child's dup2 calls overwrite. Async-signal-safe.
int lift(int fd) {
   return fd < 0 ? -1 : ::fcntl(fd, F_DUPFD, 10);
}

}  // namespace

Child::Child(const ChildSpec& spec) {
   std::vector<char*> argv;
   for (const auto& arg : spec.argv) argv.push_back(const_cast<char*>(arg.c_str()));
   argv.push_back(nullptr);
   std::vector<char*> envp;
   for (const auto& entry : spec.env) envp.push_back(const_cast<char*>(entry.c_str()));
   envp.push_back(nullptr);
   const pid_t parent = ::getpid();

   pid_ = ::fork();
   if (pid_ < 0) throw sdk::Error(DPP_E_IO, std::string("fork failed: ") + std::strerror(errno));
   if (pid_ == 0) {
      // Only async-signal-safe calls from here on: the host may have other threads.
      // If this thread of the host dies (the host was killed), ssh must not stay behind.
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (::getppid() != parent) ::_exit(129);
      sigset_t none;
      sigemptyset(&none);
      ::sigprocmask(SIG_SETMASK, &none, nullptr);
      for (int s = 1; s < 32; ++s)
         if (s != SIGKILL && s != SIGSTOP) ::signal(s, SIG_DFL);
      const int in = lift(spec.stdin_fd), out = lift(spec.stdout_fd), err = lift(spec.stderr_fd),
                extra = lift(spec.extra_fd);
      if (in < 0 || out < 0 || err < 0 || ::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0)
         ::_exit(126);
      int first_to_close = 3;
      if (extra >= 0) {
         if (::dup2(extra, 3) < 0) ::_exit(126);
         first_to_close = 4;
      }
      ::syscall(SYS_close_range, first_to_close, ~0U, 0);
      ::execve(argv[0], argv.data(), envp.data());
      static const char message[] = "dokploy-provider: cannot execute the ssh client\n";
      (void)!::write(2, message, sizeof message - 1);
      ::_exit(127);
   }
   pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
}

Child::~Child() {
   if (!reaped_) {
      terminate_tree();
      reap(0);
   }
   if (pidfd_ >= 0) ::close(pidfd_);
}

bool Child::reap(int options) noexcept {
   if (reaped_) return true;
   int status = 0;
   pid_t done;
   while ((done = ::waitpid(pid_, &status, options)) < 0 && errno == EINTR) {
   }
   if (done != pid_) return false;
   exit_code_ = decode(status);
   reaped_ = true;
   return true;
}

void Child::terminate_tree() noexcept {
   if (reaped_) return;
   try {
      std::vector<pid_t> tree = descendants(pid_);
      tree.push_back(pid_);
      for (pid_t pid : tree) ::kill(pid, SIGTERM);
      // ssh ends at once on SIGTERM; whatever still runs after a moment gets SIGKILL.
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
      while (std::chrono::steady_clock::now() < deadline && !reap(WNOHANG))
         std::this_thread::sleep_for(std::chrono::milliseconds(5));
      for (pid_t pid : tree) ::kill(pid, SIGKILL);
   } catch (...) {
      ::kill(pid_, SIGKILL);
   }
}

int Child::wait(const SshCanceller& canceller, const sdk::Host& host) {
   while (!reap(WNOHANG)) {
      if (ssh_stop_requested(canceller, host)) {
         terminate_tree();
         reap(0);
         throw sdk::Error(DPP_E_CANCELLED, "cancelled: stopped ssh");
      }
      // The pidfd turns readable at the exit; without one (old kernels) poll in slices.
      pollfd fds[2] = {{canceller.fd(), POLLIN, 0}, {pidfd_, POLLIN, 0}};
      ::poll(fds, pidfd_ >= 0 ? 2 : 1, pidfd_ >= 0 ? 250 : 20);
   }
   return exit_code_;
}

std::string find_program(const std::string& program) {
   if (program.empty()) return "";
   if (program.find('/') != std::string::npos) return ::access(program.c_str(), X_OK) == 0 ? program : "";
   const char* path = std::getenv("PATH");
   std::istringstream folders(path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
   std::string folder;
   while (std::getline(folders, folder, ':')) {
      if (folder.empty() || folder[0] != '/') continue;  // relative PATH entries are not trusted
      const std::string candidate = folder + "/" + program;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
   }
   return "";
}

std::vector<std::string> minimal_environment() {
   std::vector<std::string> env;
   bool have_path = false;
   for (char** entry = environ; entry && *entry; ++entry) {
      const std::string_view text(*entry);
      const std::string_view name = text.substr(0, text.find('='));
      if (name == "PATH" || name == "HOME" || name == "USER" || name == "LOGNAME" || name == "LANG" ||
          name == "LC_ALL" || name == "LC_CTYPE" || name == "TMPDIR") {
         env.emplace_back(text);
         have_path = have_path || name == "PATH";
      }
   }
   if (!have_path) env.emplace_back("PATH=/usr/local/bin:/usr/bin:/bin");
   return env;
}

}  // namespace dpp::plugins::system_ssh

// The ssh (or sshpass) child of the system transport: started with the host's descriptors as
// its own stdin/stdout/stderr (no byte passes through this process; only a large command's
// stdin comes from a pipe, stdin_feed.hpp), a minimal environment
// without the host's secrets, and waited for in a way a cancellation interrupts.
#pragma once

#include <sys/types.h>

#include <dpp/cpp/plugin.hpp>
#include <string>
#include <vector>

#include "common/ssh_cancel.hpp"

namespace dpp::plugins::system_ssh {

struct ChildSpec {
   // argv[0] is an absolute path.
   std::vector<std::string> argv;
   // The whole environment, "NAME=value".
   std::vector<std::string> env;
   int stdin_fd = 0;
   int stdout_fd = 1;
   int stderr_fd = 2;
   // Becomes descriptor 3 of the child when >= 0 (the pipe `sshpass -d 3` reads the password
   // from). Every other descriptor is closed in the child.
   int extra_fd = -1;
};

class Child {
 public:
   // Starts the program. Throws sdk::Error(DPP_E_IO) when fork fails; an exec failure shows up
   // as exit code 127 with a message on the child's stderr.
   explicit Child(const ChildSpec& spec);
   // Terminates whatever is still running of the child's process tree and reaps the child.
   ~Child();
   Child(const Child&) = delete;
   Child& operator=(const Child&) = delete;

   // Waits for the exit and returns the exit code (128+N when killed by signal N). On a stop
   // request it ends the child's process tree and throws sdk::Error(DPP_E_CANCELLED).
   int wait(const SshCanceller& canceller, const sdk::Host& host);
   pid_t pid() const { return pid_; }

 private:
   // SIGTERM to the child and its descendants, SIGKILL to what is left after a short grace.
   void terminate_tree() noexcept;
   bool reap(int options) noexcept;

   pid_t pid_ = -1;
   int pidfd_ = -1;
   int exit_code_ = -1;
   bool reaped_ = false;
};

// The absolute path of `program`: itself when it contains a '/', else the first executable
// match on PATH (or the usual Debian folders when PATH is unset); "" when there is none.
std::string find_program(const std::string& program);

// The environment for ssh: PATH, HOME, USER, LOGNAME and the locale from ours, nothing else
// (the host's environment carries provider options, some of them secrets).
std::vector<std::string> minimal_environment();

}  // namespace dpp::plugins::system_ssh

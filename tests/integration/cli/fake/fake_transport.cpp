// The fake transport of the CLI tests.
#include "fake_transport.hpp"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace dpp::test::fake {

FakeTransport::FakeTransport(sdk::Host host, const sdk::Options& options)
    : host_(host), fail_(options.get_or("FAKE_TRANSPORT_FAIL", "none")) {}

void FakeTransport::probe(const sdk::SshTarget& target, uint32_t) {
   if (fail_ == "connect")
      throw sdk::Error(DPP_E_CONNECT, "cannot connect to " + target.host + ":" + std::to_string(target.port));
   if (fail_ == "host-key") throw sdk::Error(DPP_E_HOST_KEY_MISMATCH, "another host key answered");
}

sdk::RunResult FakeTransport::run(const sdk::RunRequest& request) {
   const std::string where = request.target.host + ":" + std::to_string(request.target.port);
   if (fail_ == "connect")
      throw sdk::Error(DPP_E_CONNECT, "cannot connect to " + where + ": connection refused");
   if (fail_ == "auth") throw sdk::Error(DPP_E_AUTH, "the workspace at " + where + " refused the key");
   if (fail_ == "host-key")
      throw sdk::Error(DPP_E_HOST_KEY_MISMATCH, where + " answered with another host key");
   host_.debug("fake transport runs ", request.command.size(), " bytes of script as ",
               request.target.credentials.user);
   const pid_t pid = ::fork();
   if (pid < 0) throw sdk::Error(DPP_E_IO, std::string("fork failed: ") + ::strerror(errno));
   if (pid == 0) {
      ::dup2(request.stdin_fd, 0);
      ::dup2(request.stdout_fd, 1);
      ::dup2(request.stderr_fd, 2);
      ::signal(SIGINT, SIG_DFL);
      ::signal(SIGPIPE, SIG_DFL);
      ::execl("/bin/sh", "sh", "-c", request.command.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
   }
   child_.store(pid);
   int status = 0;
   pid_t done;
   do {
      done = ::waitpid(pid, &status, 0);
      if (done < 0 && errno == EINTR && host_.cancelled()) ::kill(pid, SIGKILL);
   } while (done < 0 && errno == EINTR);
   child_.store(0);
   if (host_.cancelled()) throw sdk::Error(DPP_E_CANCELLED, "cancelled");
   if (fail_ == "lost")
      throw sdk::Error(DPP_E_CONNECTION_LOST, "the session to " + where + " died after the command started");
   if (WIFSIGNALED(status)) {
      const int signal = WTERMSIG(status);
      const char* name = ::sigabbrev_np(signal);
      return {128 + signal, name ? name : ""};
   }
   return {WEXITSTATUS(status), ""};
}

void FakeTransport::cancel() noexcept {
   if (const pid_t pid = child_.load(); pid > 0) ::kill(pid, SIGKILL);
}

}  // namespace dpp::test::fake

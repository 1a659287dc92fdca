// A workspace made real by the project's workspace runner (tests/emulator/workspace_runner): a
// Debian rootfs with its own namespaces running the provider's real bootstrap script as PID 1,
// its sshd published on a free loopback port. Started by the test, stopped by PID.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

namespace dpp::test {

struct BootstrapEnv {
   std::string user = "devpod";
   std::string authorized_key;  // DPP_SSH_AUTHORIZED_KEY (key strategy)
   std::string password_hash;   // DPP_SSH_PASSWORD_HASH (password strategy)
   std::string host_key_file;   // its base64 becomes DPP_SSH_HOST_KEY
};

class RunnerWorkspace {
 public:
   // `image`: a name with "bare" runs the minbase rootfs (the bootstrap must install
   // openssh-server from the mirror), any other the "full" one. `restartable` uses
   // runner_driver.py (which can restart it) instead of `python3 -m workspace_runner run`.
   RunnerWorkspace(const std::string& image, const BootstrapEnv& env, bool restartable = false);
   ~RunnerWorkspace();
   RunnerWorkspace(const RunnerWorkspace&) = delete;
   RunnerWorkspace& operator=(const RunnerWorkspace&) = delete;

   // Why workspaces cannot run here (not root, runner tools missing), or nullopt.
   static std::optional<std::string> unavailable();

   int port() const { return port_; }
   // Stops the workspace and starts it again on the same filesystem (restartable only).
   void restart();
   // The workspace's own output (the bootstrap's log lines, sshd's log).
   std::string log() const;

 private:
   void await_ready();

   std::unique_ptr<TempDir> dir_;
   std::unique_ptr<ChildProcess> process_;
   int control_write_ = -1;  // the driver's stdin
   int status_read_ = -1;    // its stdout
   int port_ = 0;
   std::string log_file_;
   std::string runner_log_;
   std::string state_dir_;  // the runner's state folder, in dir_
};

}  // namespace dpp::test

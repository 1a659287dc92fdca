// Workspaces through the workspace runner.
#include "runner_workspace.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <stdexcept>

#include "common/base64.hpp"
#include "support/test_paths.hpp"

namespace dpp::test {
namespace {

std::string read_file(const std::string& path) {
   std::ifstream in(path, std::ios::binary);
   std::stringstream buffer;
   buffer << in.rdbuf();
   return buffer.str();
}

std::string bootstrap_script() {
   return read_file(source_dir() + "/core/workspace/workspace-bootstrap.sh");
}

std::string random_key() {
   std::random_device device;
   char text[16];
   std::snprintf(text, sizeof text, "%08x", device());
   return std::string("dpp-ssh-") + text;
}

EnvMap runner_environment() {
   EnvMap env = current_environment();
   env["PYTHONPATH"] = source_dir() + "/tests/emulator";
   return env;
}

}  // namespace

std::optional<std::string> RunnerWorkspace::unavailable() {
   if (!running_as_root()) return std::string("the workspace runner needs root (namespaces, overlayfs)");
   ProcessOptions probe;
   probe.argv = {python(), "-c",
                 "import sys; from workspace_runner.runner import WorkspaceRunner as R; r = R.available(); "
                 "print(r or ''); sys.exit(1 if r else 0)"};
   probe.env = runner_environment();
   probe.working_dir = source_dir();
   const ProcessResult result = run_process(probe, std::chrono::seconds(60));
   if (result.exit_code != 0)
      return "the workspace runner cannot run here: " + (result.out.empty() ? result.err : result.out);
   return std::nullopt;
}

RunnerWorkspace::RunnerWorkspace(const std::string& image, const BootstrapEnv& env, bool restartable) {
   dir_ = std::make_unique<TempDir>("dpp-runner");
   port_ = free_tcp_port();
   nlohmann::json environment = nlohmann::json::array();
   environment.push_back({"DPP_SSH_PORT", "2222"});
   environment.push_back({"DPP_SSH_USER", env.user});
   if (!env.authorized_key.empty()) environment.push_back({"DPP_SSH_AUTHORIZED_KEY", env.authorized_key});
   if (!env.password_hash.empty()) environment.push_back({"DPP_SSH_PASSWORD_HASH", env.password_hash});
   environment.push_back({"DPP_SSH_HOST_KEY", plugins::base64_encode(read_file(env.host_key_file))});
   environment.push_back({"DPP_DOCKERD", "off"});
   // The command the provider gives every workspace: the bootstrap script through sh -c.
   const nlohmann::json spec = {
       {"key", random_key()},
       {"image", image},
       {"command", {"/bin/sh", "-c", bootstrap_script()}},
       {"env", environment},
       {"ports", {{{"published", port_}, {"target", 2222}, {"host_ip", "127.0.0.1"}}}},
   };
   // The spec holds the workspace's private host key: 0600 in our private folder.
   const std::string spec_file = dir_->write("spec.json", spec.dump(), 0600);
   state_dir_ = dir_->file("state");

   int status[2], control[2];
   if (::pipe2(status, O_CLOEXEC) != 0 || ::pipe2(control, O_CLOEXEC) != 0)
      throw std::runtime_error("pipe2 failed");
   status_read_ = status[0];
   control_write_ = control[1];
   ProcessOptions launch;
   if (restartable)
      launch.argv = {python(), source_dir() + "/tests/integration/ssh/runner_driver.py", spec_file,
                     state_dir_};
   else
      launch.argv = {python(), "-m",      "workspace_runner", "run",
                     "--spec", spec_file, "--state-dir",      state_dir_};
   launch.env = runner_environment();
   launch.working_dir = source_dir();
   launch.stdin_fd = control[0];
   launch.stdout_fd = status[1];
   runner_log_ = dir_->file("runner.log");
   process_ = std::make_unique<ChildProcess>(launch, runner_log_);
   ::close(status[1]);
   ::close(control[0]);
   await_ready();
}

RunnerWorkspace::~RunnerWorkspace() {
   if (control_write_ >= 0) {
      const char quit[] = "quit\n";
      (void)!::write(control_write_, quit, sizeof quit - 1);
      ::close(control_write_);
   }
   // SIGTERM: the runner removes the workspace, its network and forwarders before it exits.
   if (process_) process_->stop(std::chrono::seconds(30));
   if (status_read_ >= 0) ::close(status_read_);
   // Whatever a runner that did not finish its removal left (its processes carry the state
   // folder's marker) goes too, and the test's output says so.
   try {
      ProcessOptions cleanup;
      cleanup.argv = {python(), "-m", "workspace_runner", "cleanup", "--state-dir", state_dir_};
      cleanup.env = runner_environment();
      cleanup.working_dir = source_dir();
      const ProcessResult left = run_process(cleanup, std::chrono::seconds(60));
      if (!left.out.empty() || left.exit_code != 0)
         std::fprintf(stderr, "[runner] after the runner ended, cleanup --state-dir %s (exit %d):\n%s%s",
                      state_dir_.c_str(), left.exit_code, left.out.c_str(), left.err.c_str());
   } catch (const std::exception& e) {
      std::fprintf(stderr, "[runner] cleanup --state-dir %s failed: %s\n", state_dir_.c_str(), e.what());
   }
}

void RunnerWorkspace::await_ready() {
   std::string line;
   const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(10);
   while (line.empty() || line.back() != '\n') {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0)
         throw std::runtime_error("the workspace runner did not report within 10 minutes");
      pollfd fd{status_read_, POLLIN, 0};
      if (::poll(&fd, 1, static_cast<int>(std::min<long long>(left.count(), 1000))) <= 0) continue;
      char c;
      if (::read(status_read_, &c, 1) != 1)
         throw std::runtime_error("the workspace runner ended without a status:\n" + read_file(runner_log_));
      line += c;
   }
   const nlohmann::json status = nlohmann::json::parse(line);
   if (!status.value("ready", false))
      throw std::runtime_error("the workspace did not start: " + status.value("error", line));
   log_file_ = status.value("log", "");
}

void RunnerWorkspace::restart() {
   const char command[] = "restart\n";
   if (::write(control_write_, command, sizeof command - 1) != static_cast<ssize_t>(sizeof command - 1))
      throw std::runtime_error("the runner driver is gone");
   await_ready();
}

std::string RunnerWorkspace::log() const {
   return log_file_.empty() ? "" : read_file(log_file_);
}

}  // namespace dpp::test

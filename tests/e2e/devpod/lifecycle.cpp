// The DevPod lifecycle of one combination against the shared emulator.
#include "lifecycle.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "auto_stop_in_workspace.hpp"
#include "command_checks.hpp"
#include "support/devpod_client_in_house.hpp"
#include "support/temp_dir.hpp"

namespace dpp::test::devpod {
namespace {

using namespace std::chrono_literals;

std::string status_text(const StatusResult& answer) {
   if (answer.status) return status_name(*answer.status);
   return answer.error.empty() ? answer.exec.describe() : answer.error;
}

class Lifecycle {
 public:
   Lifecycle(ConformanceEnvironment& environment, const Combination& combination)
       : environment_(environment), combination_(combination) {}

   ~Lifecycle() {
      // Whatever happened above, the workspace goes.
      if (devpod_ && machine_ && !deleted_) {
         const ExecResult removed = devpod_->clean_up(*machine_);
         if (!removed.ok()) ADD_FAILURE() << "cleanup delete failed: " << removed.describe();
      }
   }

   void run() {
      if (!bring_up()) return;
      const bool written = workspace_commands();
      if (combination_.auto_stop) auto_stop();
      stop_and_start(written);
      delete_twice();
   }

 private:
   // provider add, init, create, status → Running; false when the rest cannot run.
   bool bring_up() {
      Emulator& emulator = environment_.emulator();
      bool ok = step("provider add (options)", [&]() -> CheckResult {
         devpod_ = make_devpod_client(
             environment_.devpod(),
             DriverOptions{.provider_yaml = dev_provider_yaml(environment_.provider_binary(), home_.path()),
                           .user_values = combination_.user_values(emulator.url(), emulator.token(),
                                                                   environment_.port_range(),
                                                                   ConformanceEnvironment::kRemoteServerId),
                           .devpod_home = home_.path() + "/.devpod",
                           .shell = combination_.shell});
         return {true, std::to_string(devpod_->driver().option_values().size()) +
                           " options resolved; exec via " + devpod_->shell_text()};
      });
      if (!ok) return false;
      // The real CLI runs `init` inside `devpod provider add`.
      if (!step("init", [&] { return exec_check(devpod_->add_provider()); })) return false;
      machine_ = devpod_->new_machine(combination_.kind.substr(0, 3) + combination_.transport.substr(0, 3) +
                                      combination_.auth.substr(0, 1) + (combination_.remote ? "r" : ""));
      ok = step("create", [&] {
         const ExecResult created = devpod_->create(*machine_);
         if (!created.ok()) return exec_check(created);
         // The real CLI logs the provider's output; either stream may carry it.
         if (combination_.remote &&
             (created.out + created.err)
                     .find(std::string("DEVPOD_MACHINE_HOST=") + ConformanceEnvironment::kRemoteAddress) ==
                 std::string::npos)
            return CheckResult{
                false, "the workspace does not answer on the remote server's address: " + created.describe()};
         return CheckResult{true, "machine " + machine_->id};
      });
      if (!ok) return false;
      ok = step("status → Running (after create)", [&] { return poll_for(*devpod_, Status::running); });
      if (!ok) return false;
      step("token absent from the stored service", [&] { return token_absent(); });
      if (combination_.remote) step("runs on the remote server", [&] { return runs_on_remote_server(); });
      return true;
   }

   // The `command` checks; true when ~/persist.txt was written for after the stop.
   bool workspace_commands() {
      const DevPodClient& d = *devpod_;
      const Machine& m = *machine_;
      // First, so that with the real CLI the agent's injection is this step's time.
      step("command: agent injection", [&] {
         return d.real() ? check_agent_injected(d, m, *environment_.devpod().real_binary)
                         : check_injection_handshake(d, m);
      });
      step("command: echo", [&] { return check_echo(d, m); });
      step("command: exit code", [&] { return check_exit_code(d, m); });
      step("command: stderr apart", [&] { return check_stderr_apart(d, m); });
      step("command: 16 MiB round trip", [&] { return check_binary_round_trip(d, m); });
      step("command: half-close", [&] { return check_half_close(d, m); });
      step("command: 200 round trips", [&] { return check_interactive_round_trips(d, m); });
      step("command: SIGINT during sleep 60", [&] { return in_house(check_sigint(d.contract(), m)); });
      return step("command: write ~/persist.txt", [&] { return write_persisted_file(d, m, persisted()); });
   }

   void auto_stop() {
      const DevPodClient& d = *devpod_;
      AutoStopInWorkspace auto_stop(d, *machine_, environment_.emulator());
      if (step("auto-stop: prepare", [&] { return auto_stop.prepare(); }) &&
          step("auto-stop: run → Stopped", [&] { return auto_stop.run(); }) &&
          step("start (after auto-stop)", [&] { return exec_check(d.start(*machine_)); }) &&
          step("status → Running (after auto-stop)", [&] { return poll_for(d, Status::running); }))
         step("auto-stop: no token in any argv", [&] { return auto_stop.verify_argv_log(); });
   }

   void stop_and_start(bool written) {
      const DevPodClient& d = *devpod_;
      const Machine& m = *machine_;
      if (step("stop", [&] { return exec_check(d.stop(m)); }))
         step("status → Stopped", [&] { return poll_for(d, Status::stopped); });
      if (step("start", [&] { return exec_check(d.start(m)); }) &&
          step("status → Running (after start)", [&] { return poll_for(d, Status::running); }) && written)
         step("command: ~/persist.txt survived", [&] { return read_persisted_file(d, m, persisted()); });
   }

   // delete, then as the provider's contract (the real CLI forgets a deleted machine, so the
   // in-house driver asks): status → NotFound, and a second delete that succeeds.
   void delete_twice() {
      const Machine& m = *machine_;
      step("delete", [&] {
         const ExecResult removed = devpod_->remove(m);
         deleted_ = removed.ok();
         if (removed.ok() && std::filesystem::exists(m.folder))
            return CheckResult{false, "MACHINE_FOLDER is still there"};
         return exec_check(removed);
      });
      // DevPod removed MACHINE_FOLDER; a later status of the same machine starts from a new one.
      std::filesystem::create_directories(m.folder);
      const InHouseDevPod& contract = devpod_->contract();
      step("status → NotFound", [&] { return in_house(poll_for(contract, Status::not_found)); });
      step("delete again", [&] {
         const ExecResult again = contract.remove(m);
         deleted_ = deleted_ || again.ok();
         return in_house(exec_check(again));
      });
   }

   std::string persisted() const { return "written before stop by " + combination_.name() + "\n"; }

   // Says so in the step's result when the real CLI is in use but this step is the in-house
   // driver's.
   CheckResult in_house(CheckResult result) const {
      if (devpod_->real()) result.second += " (in-house driver)";
      return result;
   }

   CheckResult runs_on_remote_server() {
      const nlohmann::json workspaces =
          environment_.emulator().workspaces();  // items() does not keep a temporary alive
      for (const auto& [key, workspace] : workspaces.items())
         if (workspace.contains("serverId") &&
             workspace["serverId"] == ConformanceEnvironment::kRemoteServerId &&
             workspace.value("state", "") == "running")
            return {true, "workspace " + key + " on " + ConformanceEnvironment::kRemoteServerId};
      return {false, "no running workspace with serverId " +
                         std::string(ConformanceEnvironment::kRemoteServerId) + ": " + workspaces.dump()};
   }

   bool step(const std::string& name, const std::function<CheckResult()>& body) {
      const StepRecord& record = environment_.log().run(combination_.name(), name, body);
      if (!record.ok) ADD_FAILURE() << combination_.name() << ": " << name << ": " << record.detail;
      return record.ok;
   }

   static CheckResult exec_check(const ExecResult& result) {
      if (!result.ok()) return {false, result.describe()};
      if (result.pipes_held_after_exit)
         return {false,
                 "`" + result.verb + "` exited but left its stdout or stderr open (DevPod would hang)"};
      return {true, "exit 0"};
   }

   CheckResult poll_for(const DevPodClient& devpod, Status wanted) {
      int polls = 0;
      const StatusResult answer =
          devpod.poll_while_busy(*machine_, 10min, [&](const StatusResult&) { ++polls; });
      const bool ok = answer.status == wanted;
      std::string result =
          status_text(answer) + " after " + std::to_string(polls) + " poll" + (polls == 1 ? "" : "s");
      if (!ok) result += "; wanted " + std::string(status_name(wanted)) + "; stderr: " + answer.exec.err;
      return {ok, result};
   }

   CheckResult token_absent() {
      const std::string token = environment_.emulator().token();
      const auto services = environment_.emulator().services();
      for (const auto& service : services)
         if (service.dump().find(token) != std::string::npos)
            return {false, "the API token is stored in service " + service.value("name", std::string("?"))};
      return {true,
              std::to_string(services.size()) + " stored service(s) checked (compose file, env, command)"};
   }

   ConformanceEnvironment& environment_;
   const Combination& combination_;
   TempDir home_{"dpp-devpod-home"};
   std::unique_ptr<DevPodClient> devpod_;
   std::optional<Machine> machine_;
   bool deleted_ = false;
};

}  // namespace

void run_lifecycle(ConformanceEnvironment& environment, const Combination& combination) {
   Lifecycle lifecycle(environment, combination);
   lifecycle.run();
}

}  // namespace dpp::test::devpod

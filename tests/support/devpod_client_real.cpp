// The real DevPod CLI as a DevPodClient.
#include "support/devpod_client_real.hpp"

#include <filesystem>

namespace dpp::test::devpod {
namespace {

namespace fs = std::filesystem;

DriverOptions beside(DriverOptions options) {
   options.devpod_home += "-in-house";
   return options;
}

ExecResult exec_result(const CliResult& cli) {
   ExecResult result;
   result.verb = cli.command_line;
   result.exit_code = cli.process.exit_code;
   result.signal = cli.process.signal;
   result.out = cli.process.out;
   result.err = cli.process.err;
   result.seconds = cli.process.seconds;
   result.hung = cli.process.timed_out;
   return result;
}

std::optional<Status> status_of(MachineState state) {
   switch (state) {
      case MachineState::running: return Status::running;
      case MachineState::busy: return Status::busy;
      case MachineState::stopped: return Status::stopped;
      case MachineState::not_found: return Status::not_found;
      case MachineState::unknown: break;
   }
   return std::nullopt;
}

}  // namespace

RealDevPod::RealDevPod(const std::string& binary, const DriverOptions& options)
    : options_(options),
      cli_(binary, fs::path(options.devpod_home).parent_path().string()),
      contract_(beside(options)) {}

ExecResult RealDevPod::add_provider() const {
   return exec_result(
       cli_.add_provider(options_.provider_yaml, driver().provider().name, options_.user_values));
}

Machine RealDevPod::new_machine(const std::string& hint) const {
   // DevPod's own layout (pkg/provider/dir.go GetMachineDir); `machine create` makes the folder.
   const std::string id = new_machine_id(hint);
   return {.id = id, .folder = cli_.home() + "/.devpod/contexts/default/machines/" + id};
}

ExecResult RealDevPod::create(const Machine& machine) const {
   return run({"machine", "create", machine.id, "--provider", driver().provider().name});
}

ExecResult RealDevPod::machine_verb(const std::string& verb, const Machine& machine) const {
   return run({"machine", verb, machine.id});
}

StatusResult RealDevPod::status(const Machine& machine) const {
   StatusResult result;
   result.exec.verb = "devpod machine status " + machine.id + " --output json";
   result.status = status_of(cli_.machine_state(machine.id, &result.error));
   result.exec.exit_code = result.status ? 0 : 1;
   return result;
}

ExecResult RealDevPod::clean_up(const Machine& machine) const {
   // Not interruptible; when DevPod no longer knows the machine (a create that failed early),
   // the provider's own `delete` removes what is left.
   const ExecResult removed = exec_result(cli_.machine("delete", machine.id));
   return removed.ok() ? removed : contract_.clean_up(machine);
}

std::unique_ptr<CommandSession> RealDevPod::start_command(const Machine& machine,
                                                          const std::string& script) const {
   std::vector<std::string> args = {"machine", "ssh", machine.id, "--command", script};
   if (options_.debug) args.push_back("--debug");
   return cli_.start(args, options_.interrupted);
}

ExecResult RealDevPod::run(std::vector<std::string> args) const {
   if (options_.debug) args.push_back("--debug");
   const auto session = cli_.start(args, options_.interrupted);
   ExecResult result = feed_and_wait(*session, "", std::chrono::minutes(15));
   result.verb = "devpod";
   for (const auto& arg : args) result.verb += " " + arg;
   return result;
}

}  // namespace dpp::test::devpod

// A lane of fixtures and its workspace checks.
#include "lane.hpp"

#include <filesystem>

#include "leftovers.hpp"

namespace dpp::test::reliability {

Lane::Lane(LaneOptions options) {
   emulator_ = std::make_unique<Emulator>(options.emulator);
   if (options.emulator.runner == "none") stand_in_ = std::make_unique<WorkspaceStandIn>(*emulator_);
   options.provider.server_url = emulator_->url();
   options.provider.token = emulator_->token();
   provider_ = std::make_unique<ProviderHarness>(options.provider);
}

Lane::~Lane() {
   // The stand-in follows the emulator: it goes first.
   stand_in_.reset();
   emulator_.reset();
}

std::string Lane::check_works(const Machine& machine, const RunOptions& options) {
   const ProcessResult status = provider_->run("status", machine, options);
   if (status.exit_code != 0 || status.out != "Running\n")
      return "status printed '" + trimmed(status.out) + "' (exit " + std::to_string(status.exit_code) +
             "): " + tail_lines(status.err, 4);
   RunOptions command = options;
   command.command = "printf 'works as %s' \"$(id -un)\"";
   const ProcessResult ran = provider_->run("command", machine, command);
   if (ran.exit_code != 0 || ran.out.rfind("works as ", 0) != 0)
      return "command exit " + std::to_string(ran.exit_code) + " printed '" + ran.out +
             "': " + tail_lines(ran.err, 4);
   return "";
}

std::string Lane::check_nothing_left(const Machine& machine) {
   std::vector<std::string> left = leftovers_of(*emulator_, machine.id);
   if (stand_in_ && !stand_in_->wait_until_served(machine.id, false, std::chrono::seconds(5)))
      left.push_back("an sshd still serves it on port " +
                     std::to_string(stand_in_->port_of(machine.id).value_or(0)));
   return join_lines(left);
}

std::string Lane::delete_and_check(const Machine& machine, const RunOptions& options) {
   const ProcessResult removed = provider_->run("delete", machine, options);
   if (removed.exit_code != 0)
      return "delete exit " + std::to_string(removed.exit_code) + ": " + tail_lines(removed.err, 4);
   const std::string left = check_nothing_left(machine);
   if (!left.empty()) return "left after delete: " + left;
   const StateFileCheck state = check_state_file(machine.folder, machine.id);
   if (state.present) return "the state file survived delete";
   return "";
}

}  // namespace dpp::test::reliability

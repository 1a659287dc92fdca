// "Nothing left behind", checked where things could be left: the emulator's services and
// workspaces of a machine, and the machine's state file (absent or whole, never half-written;
// no temporary files beside it).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "support/emulator.hpp"

namespace dpp::test::reliability {

// The machine's services (named "devpod-<id> (ssh N)") in the emulator, as "<kind> <name> (<status>)".
std::vector<std::string> services_of(const Emulator& emulator, const std::string& machine_id);
// The machine's workspaces (group "devpod-<id>-xxxxxx") the emulator's runner knows.
std::vector<std::string> workspaces_of(const Emulator& emulator, const std::string& machine_id);
// Both, as one line per item; empty when nothing of the machine is left.
std::vector<std::string> leftovers_of(const Emulator& emulator, const std::string& machine_id);
std::string join_lines(const std::vector<std::string>& items);

struct StateFileCheck {
   bool present = false;
   // Why the file is unusable (half-written, not JSON, another machine's…), when it is.
   std::optional<std::string> problem;
   // Files beside it that an interrupted atomic write left (".tmp-…").
   std::vector<std::string> temp_files;
   std::string text;
   bool whole() const { return !problem; }
};

// Reads MACHINE_FOLDER/dokploy-provider-state.json exactly as the provider does (core's
// MachineState::parse) and lists leftover temporary files.
StateFileCheck check_state_file(const std::string& machine_folder, const std::string& machine_id);

}  // namespace dpp::test::reliability

// Leftovers of a machine in the emulator and in its folder.
#include "leftovers.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "state/machine_state.hpp"
#include "workspace_stand_in.hpp"

namespace dpp::test::reliability {

std::vector<std::string> services_of(const Emulator& emulator, const std::string& machine_id) {
   std::vector<std::string> out;
   const std::string prefix = "devpod-" + machine_id + " (ssh ";
   for (const auto& service : emulator.services()) {
      const std::string name = service.value("name", "");
      if (name.rfind(prefix, 0) != 0) continue;
      const bool compose = service.contains("composeId");
      const std::string status = service.value(compose ? "composeStatus" : "applicationStatus", "?");
      out.push_back(std::string(compose ? "compose " : "application ") + name + " (" + status + ")");
   }
   return out;
}

std::vector<std::string> workspaces_of(const Emulator& emulator, const std::string& machine_id) {
   std::vector<std::string> out;
   // Named: a range-for over items() of a temporary would iterate a destroyed object.
   const nlohmann::json workspaces = emulator.workspaces();
   // "missing": the runner has removed it and only the emulator's record of the service's
   // runtime remains for a moment (a delete empties the runner first); Docker would show nothing.
   for (const auto& [key, workspace] : workspaces.items())
      if (WorkspaceStandIn::machine_of_group(workspace.value("group", "")) == machine_id &&
          workspace.value("state", "") != "missing")
         out.push_back("workspace " + key + " (" + workspace.value("state", "?") + ")");
   return out;
}

std::vector<std::string> leftovers_of(const Emulator& emulator, const std::string& machine_id) {
   std::vector<std::string> out = services_of(emulator, machine_id);
   for (auto& workspace : workspaces_of(emulator, machine_id)) out.push_back(std::move(workspace));
   return out;
}

std::string join_lines(const std::vector<std::string>& items) {
   std::string text;
   for (const auto& item : items) text += (text.empty() ? "" : "; ") + item;
   return text;
}

StateFileCheck check_state_file(const std::string& machine_folder, const std::string& machine_id) {
   namespace fs = std::filesystem;
   StateFileCheck check;
   const std::string name = core::MachineState::kFileName;
   std::error_code error;
   for (const auto& entry : fs::directory_iterator(machine_folder, error)) {
      const std::string file = entry.path().filename().string();
      if (file.rfind(name + ".tmp-", 0) == 0) check.temp_files.push_back(file);
   }
   const std::string path = machine_folder + "/" + name;
   if (!fs::exists(path)) return check;
   check.present = true;
   std::ifstream in(path, std::ios::binary);
   std::stringstream buffer;
   buffer << in.rdbuf();
   check.text = buffer.str();
   core::MachineState state(machine_folder, machine_id);
   try {
      check.problem = state.parse(check.text);
   } catch (const std::exception& e) {
      check.problem = e.what();
   }
   return check;
}

}  // namespace dpp::test::reliability

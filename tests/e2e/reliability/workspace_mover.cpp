// A workspace moved to another port behind the provider's back.
#include "workspace_mover.hpp"

#include <stdexcept>
#include <thread>

namespace dpp::test::reliability {

namespace {

std::string ports_text(const Emulator& emulator) {
   std::string text;
   // Named: a range-for over items() of a temporary would iterate a destroyed object.
   const nlohmann::json workspaces = emulator.workspaces();
   for (const auto& [key, workspace] : workspaces.items()) {
      text += key + " " + workspace.value("state", "?");
      if (workspace.contains("spec") && workspace["spec"].is_object())
         text += " ports " + workspace["spec"].value("ports", nlohmann::json::array()).dump();
      text += "; ";
   }
   return text;
}

}  // namespace

void move_workspace(const Emulator& emulator, const std::string& machine_id, int port) {
   const std::string prefix = "devpod-" + machine_id + " (ssh ";
   nlohmann::json service;
   for (const auto& row : emulator.services())
      if (row.value("name", "").rfind(prefix, 0) == 0) service = row;
   if (service.is_null()) throw std::runtime_error("no service of " + machine_id + " to move");
   const std::string name = "devpod-" + machine_id + " (ssh " + std::to_string(port) + ")";
   const bool compose = service.contains("composeId");
   if (compose) {
      const std::string id = service["composeId"];
      const nlohmann::json row = emulator.api("compose.one", nullptr, "composeId=" + id);
      std::string file = row.value("composeFile", "");
      const std::string marker = "published: \"";
      const auto at = file.find(marker);
      if (at == std::string::npos) throw std::runtime_error("the compose file has no published port");
      const auto end = file.find('"', at + marker.size());
      file.replace(at + marker.size(), end - at - marker.size(), std::to_string(port));
      emulator.api("compose.update", {{"composeId", id}, {"name", name}, {"composeFile", file}});
      emulator.api("compose.deploy", {{"composeId", id}, {"title", "moved by the test"}});
   } else {
      const std::string id = service["applicationId"];
      const nlohmann::json row = emulator.api("application.one", nullptr, "applicationId=" + id);
      std::string port_id;
      for (const auto& mapping : row.value("ports", nlohmann::json::array()))
         if (mapping.value("targetPort", 0) == 2222) port_id = mapping.value("portId", "");
      if (port_id.empty()) throw std::runtime_error("the application has no SSH port mapping");
      emulator.api("port.update", {{"portId", port_id},
                                   {"publishedPort", port},
                                   {"targetPort", 2222},
                                   {"protocol", "tcp"},
                                   {"publishMode", "ingress"}});
      emulator.api("application.update", {{"applicationId", id}, {"name", name}});
      emulator.api("application.deploy", {{"applicationId", id}, {"title", "moved by the test"}});
   }
   const std::string status_key = compose ? "composeStatus" : "applicationStatus";
   const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
   while (std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      for (const auto& row : emulator.services())
         if (row.value("name", "") == name && row.value(status_key, "") == "done") {
            // The deploy row may still say done from before: check the new port is what runs.
            const nlohmann::json workspaces = emulator.workspaces();
            for (const auto& [key, workspace] : workspaces.items()) {
               if (!workspace.contains("spec") || !workspace["spec"].is_object()) continue;
               for (const auto& mapping : workspace["spec"].value("ports", nlohmann::json::array()))
                  if (mapping.value("published", 0) == port && workspace.value("state", "") == "running")
                     return;
            }
         }
   }
   std::string seen;
   for (const auto& row : emulator.services())
      if (row.value("name", "").rfind(prefix, 0) == 0)
         seen += row.value("name", "") + " " + row.value(status_key, "") + "; ";
   throw std::runtime_error("the move of " + machine_id + " to port " + std::to_string(port) +
                            " did not finish (" + seen + "workspaces: " + ports_text(emulator) + ")");
}

}  // namespace dpp::test::reliability

// Leftovers of a workspace in real Dokploy and Docker.
#include "leftovers.hpp"

#include <chrono>
#include <thread>
#include <tuple>

namespace dpp::test::real {
namespace {

bool names_machine(const std::string& name, const std::string& machine_id) {
   return name.find("devpod-" + machine_id) != std::string::npos;
}

std::vector<std::string> matching(const std::vector<std::string>& names, const std::string& machine_id) {
   std::vector<std::string> out;
   for (const auto& name : names)
      if (names_machine(name, machine_id)) out.push_back(name);
   return out;
}

void collect_services(const nlohmann::json& holder, const std::string& machine_id,
                      std::vector<std::string>& out) {
   for (const char* kind : {"applications", "compose"}) {
      if (!holder.contains(kind) || !holder[kind].is_array()) continue;
      for (const auto& service : holder[kind]) {
         const std::string name = service.value("name", "");
         const std::string app_name = service.value("appName", "");
         if (names_machine(name, machine_id) || names_machine(app_name, machine_id))
            out.push_back(std::string(kind) + " " + name + " [" + app_name + "]");
      }
   }
}

std::string listed(const char* what, const std::vector<std::string>& names) {
   if (names.empty()) return "";
   std::string text = std::string("\n  ") + what + ":";
   for (const auto& name : names) text += " " + name;
   return text;
}

}  // namespace

bool Leftovers::nothing_but_volumes() const {
   return dokploy_services.empty() && swarm_services.empty() && containers.empty() && networks.empty();
}

std::string Leftovers::describe() const {
   const std::string text = listed("Dokploy services", dokploy_services) +
                            listed("Swarm services", swarm_services) + listed("containers", containers) +
                            listed("networks", networks) + listed("volumes", volumes);
   return text.empty() ? "nothing" : text;
}

Leftovers find_leftovers(const RealWorld& world, const std::string& machine_id) {
   Leftovers found;
   // Projects hold services directly before Dokploy v0.25 and in environments since.
   for (const auto& project : world.api("project.all")) {
      collect_services(project, machine_id, found.dokploy_services);
      if (project.contains("environments") && project["environments"].is_array())
         for (const auto& environment : project["environments"])
            collect_services(environment, machine_id, found.dokploy_services);
   }
   found.swarm_services =
       matching(world.docker_lines({"service", "ls", "--format", "{{.Name}}"}), machine_id);
   found.containers = matching(world.docker_lines({"ps", "-a", "--format", "{{.Names}}"}), machine_id);
   // Swarm stops a removed service's task container a moment after the service is gone: a
   // container left once its service is gone is only counted if it is still there a minute later.
   for (int look = 0; look < 60 && found.swarm_services.empty() && !found.containers.empty(); ++look) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
      found.containers = matching(world.docker_lines({"ps", "-a", "--format", "{{.Names}}"}), machine_id);
   }
   found.networks = matching(world.docker_lines({"network", "ls", "--format", "{{.Name}}"}), machine_id);
   found.volumes = matching(world.docker_lines({"volume", "ls", "--format", "{{.Name}}"}), machine_id);
   return found;
}

ServiceRef find_service(const RealWorld& world, const std::string& machine_id) {
   const auto search = [&](const nlohmann::json& holder) -> ServiceRef {
      for (const auto& [kind, key, id_key] : {std::tuple{"application", "applications", "applicationId"},
                                              std::tuple{"compose", "compose", "composeId"}}) {
         if (!holder.contains(key) || !holder[key].is_array()) continue;
         for (const auto& service : holder[key])
            if (names_machine(service.value("appName", ""), machine_id) ||
                names_machine(service.value("name", ""), machine_id))
               return {kind, service.value(id_key, "")};
      }
      return {};
   };
   for (const auto& project : world.api("project.all")) {
      if (ServiceRef found = search(project); !found.id.empty()) return found;
      if (!project.contains("environments") || !project["environments"].is_array()) continue;
      for (const auto& environment : project["environments"])
         if (ServiceRef found = search(environment); !found.id.empty()) return found;
   }
   return {};
}

void remove_volumes(const RealWorld& world, const std::vector<std::string>& volumes) {
   for (const auto& volume : volumes) world.docker_lines({"volume", "rm", "-f", volume});
}

}  // namespace dpp::test::real

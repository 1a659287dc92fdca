// Reads project.all into projects, environments and services.
#include "project_index.hpp"

#include <dpp/cpp/plugin.hpp>

#include <algorithm>

#include "json_util.hpp"
#include "service_naming.hpp"

namespace dpp::dokploy {
namespace {

void add_services(std::vector<IndexedService>& out, const json::Object& holder, const std::string& project_id,
                  const std::string& environment_id) {
   for (const json::Object& row : json::objects(json::array(holder, "applications")))
      out.push_back({ServiceKind::application, json::text(row, "applicationId"), json::text(row, "name"),
                     json::text(row, "applicationStatus"), json::text(row, "appName"), project_id,
                     environment_id});
   for (const json::Object& row : json::objects(json::array(holder, "compose")))
      out.push_back({ServiceKind::compose, json::text(row, "composeId"), json::text(row, "name"),
                     json::text(row, "composeStatus"), json::text(row, "appName"), project_id,
                     environment_id});
}

}  // namespace

const char* kind_name(ServiceKind kind) {
   return kind == ServiceKind::compose ? "compose" : "application";
}

ProjectIndex ProjectIndex::parse(const Poco::Dynamic::Var& answer) {
   const json::Array rows = json::as_array(answer);
   if (!rows)
      throw dpp::sdk::Error(DPP_E_PROTOCOL, "Dokploy answered project.all with something other than a list");
   ProjectIndex index;
   for (const json::Object& row : json::objects(rows)) {
      IndexedProject project{
          json::text(row, "projectId"), json::text(row, "name"), json::text(row, "createdAt"), {}};
      if (json::has(row, "environments")) {
         for (const json::Object& env : json::objects(json::array(row, "environments"))) {
            project.environments.push_back(
                {json::text(env, "environmentId"), json::text(env, "name"), json::flag(env, "isDefault")});
            add_services(index.services_, env, project.id, json::text(env, "environmentId"));
         }
      } else {
         add_services(index.services_, row, project.id, "");  // up to v0.24: services on the project
      }
      index.projects_.push_back(std::move(project));
   }
   return index;
}

std::vector<const IndexedProject*> ProjectIndex::named(const std::string& name) const {
   std::vector<const IndexedProject*> out;
   for (const auto& project : projects_)
      if (project.name == name) out.push_back(&project);
   std::sort(out.begin(), out.end(), [](const IndexedProject* a, const IndexedProject* b) {
      return a->created_at != b->created_at ? a->created_at < b->created_at : a->id < b->id;
   });
   return out;
}

std::vector<IndexedService> ProjectIndex::machine_services(const std::string& project_name,
                                                           const std::string& machine_id) const {
   std::set<std::string> ours;
   for (const IndexedProject* project : named(project_name)) ours.insert(project->id);
   std::vector<IndexedService> out;
   for (const auto& service : services_) {
      if (!ours.count(service.project_id)) continue;
      auto parsed = parse_service_name(service.name);
      if (parsed && parsed->machine_id == machine_id) out.push_back(service);
   }
   return out;
}

std::set<uint16_t> ProjectIndex::ports_in_use(const std::string& except_service_id) const {
   std::set<uint16_t> ports;
   for (const auto& service : services_) {
      if (service.id == except_service_id) continue;
      if (auto parsed = parse_service_name(service.name)) ports.insert(parsed->port);
   }
   return ports;
}

}  // namespace dpp::dokploy

// compose.* procedures for workspaces.
#include "compose_driver.hpp"

#include "compose_file.hpp"
#include "service_naming.hpp"

namespace dpp::dokploy {

ServiceView ComposeDriver::view_of(const json::Object& row) {
   ServiceView view;
   view.kind = ServiceKind::compose;
   view.id = json::text(row, "composeId");
   view.name = json::text(row, "name");
   view.app_name = json::text(row, "appName");
   view.status = json::text(row, "composeStatus");
   view.server_id = json::text(row, "serverId");
   view.server_ip = json::text(json::object(row, "server"), "ipAddress");
   view.deployments = read_deployments(row);
   view.row = row;
   return view;
}

std::optional<ServiceView> ComposeDriver::one(const std::string& id) {
   try {
      const json::Object row = json::as_object(api_.query("compose.one", {{"composeId", id}}));
      if (!row)
         throw dpp::sdk::Error(DPP_E_PROTOCOL,
                               "Dokploy answered compose.one with something other than a row");
      return view_of(row);
   } catch (const ApiError& e) {
      if (e.not_found()) return std::nullopt;
      throw;
   }
}

ServiceView ComposeDriver::create(const Placement& placement, const WorkspacePlan& plan,
                                  const Features& features) {
   Poco::JSON::Object body = json::body();
   body.set("name", plan.name);
   if (features.environments)
      body.set("environmentId", placement.environment_id);
   else
      body.set("projectId", placement.project_id);
   body.set("description", "DevPod workspace " + plan.spec.machine_id + " (managed by dokploy-provider)");
   body.set("composeType", "docker-compose");
   body.set("appName", requested_app_name(plan.spec.machine_id));
   if (api_.settings().server_id) body.set("serverId", *api_.settings().server_id);
   body.set("composeFile", compose_file(plan));
   if (features.create_source_type) body.set("sourceType", "raw");
   const json::Object row = json::as_object(api_.mutate("compose.create", body, Repeat::once));
   if (!row || json::text(row, "composeId").empty())
      throw dpp::sdk::Error(DPP_E_PROTOCOL, "Dokploy answered compose.create without a composeId");
   // Before v0.30 create ignores sourceType: converge() then sets it with compose.update.
   return view_of(row);
}

bool ComposeDriver::converge(const ServiceView& view, const WorkspacePlan& plan, const Features&) {
   Poco::JSON::Object update = json::body();
   update.set("composeId", view.id);
   const std::string file = compose_file(plan);
   if (json::text(view.row, "composeFile") != file) update.set("composeFile", file);
   if (json::text(view.row, "sourceType") != "raw") update.set("sourceType", "raw");
   if (view.name != plan.name) update.set("name", plan.name);
   if (update.size() == 1) return false;
   api_.mutate("compose.update", update, Repeat::safe);
   return true;
}

void ComposeDriver::deploy(const std::string& id, const std::string& title) {
   Poco::JSON::Object body = json::body();
   body.set("composeId", id);
   body.set("title", title);
   body.set("description", "by dokploy-provider");
   api_.mutate("compose.deploy", body, Repeat::safe);
}

void ComposeDriver::start(const std::string& id) {
   Poco::JSON::Object body = json::body();
   body.set("composeId", id);
   api_.mutate("compose.start", body, Repeat::safe);
}

void ComposeDriver::stop(const std::string& id) {
   Poco::JSON::Object body = json::body();
   body.set("composeId", id);
   api_.mutate("compose.stop", body, Repeat::safe);
}

bool ComposeDriver::remove(const std::string& id, bool keep_volumes) {
   Poco::JSON::Object body = json::body();
   body.set("composeId", id);
   // `docker compose down`, with -v unless the volumes are to be kept.
   body.set("deleteVolumes", !keep_volumes);
   try {
      api_.mutate("compose.delete", body, Repeat::safe);
      return true;
   } catch (const ApiError& e) {
      if (!e.not_found()) throw;
      return false;
   }
}

json::Array ComposeDriver::containers(const ServiceView& view) {
   QueryParams params = {{"appName", view.app_name}, {"appType", "docker-compose"}};
   if (!view.server_id.empty()) params.emplace_back("serverId", view.server_id);
   return json::as_array(api_.query("docker.getContainersByAppNameMatch", params));
}

std::string ComposeDriver::container_state(const ServiceView& view) {
   if (view.app_name.empty()) return "";
   try {
      std::string out;
      for (const json::Object& container : json::objects(containers(view)))
         out +=
             (out.empty() ? "" : ", ") + json::text(container, "name") + " " + json::text(container, "state");
      return out.empty() ? "Docker shows no container for it" : "containers: " + out;
   } catch (const dpp::sdk::Error&) {
      return "";
   }
}

bool ComposeDriver::shows_containers(const ServiceView& view) {
   const json::Array listed = containers(view);
   return listed && listed->size() > 0;
}

}  // namespace dpp::dokploy

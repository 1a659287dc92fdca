// Reading a failed deployment's log from Dokploy, and pointing to it when that cannot be done.
#include "deploy_failure.hpp"

#include "log_excerpt.hpp"

namespace dpp::dokploy {
namespace {

// Enough lines to find a dozen meaningful ones among docker's progress and Dokploy's banner.
constexpr const char* kTailLines = "200";

std::string joined(const std::vector<std::string>& lines) {
   std::string out;
   for (const auto& line : lines) out += (out.empty() ? "" : "\n") + line;
   return out;
}

}  // namespace

std::string DeployFailure::describe(const std::string& containers) const {
   std::string out;
   if (!error_message.empty()) out += ": " + error_message;
   if (!containers.empty()) out += " (" + containers + ")";
   if (!log_lines.empty()) return out + "; its log in Dokploy ends with:\n" + joined(log_lines);
   return out + "; " + log_elsewhere;
}

std::string deployments_page(const std::string& server_url, const ServiceView& view) {
   const std::string kind = view.kind == ServiceKind::application ? "application" : "compose";
   const std::string environment_id = json::text(view.row, "environmentId");
   std::string project_id = json::text(json::object(view.row, "environment"), "projectId");
   if (project_id.empty()) project_id = json::text(view.row, "projectId");  // up to v0.24
   if (project_id.empty())
      return server_url + " (project of " + view.name + ", " + kind + " " + view.id + ", Deployments tab)";
   const std::string environment = environment_id.empty() ? "" : "/environment/" + environment_id;
   return server_url + "/dashboard/project/" + project_id + environment + "/services/" + kind + "/" +
          view.id + "?tab=deployments";
}

DeployFailure read_deploy_failure(DokployApi& api, const ServiceView& view,
                                  const std::optional<Deployment>& deployment,
                                  const std::vector<std::string>& secrets, const std::string& version) {
   DeployFailure failure;
   const std::string page = deployments_page(api.settings().server.text, view);
   if (!deployment) {
      failure.log_elsewhere = "Dokploy lists no deployment for it; see " + page;
      return failure;
   }
   std::vector<std::string> hidden = secrets;
   hidden.push_back(api.settings().token);
   for (const std::string& line : log_excerpt(deployment->error_message, hidden, {.lines = 3}))
      failure.error_message += (failure.error_message.empty() ? "" : "; ") + line;
   try {
      const Poco::Dynamic::Var answer =
          api.query("deployment.readLogs", {{"deploymentId", deployment->id}, {"tail", kTailLines}});
      if (answer.isString()) failure.log_lines = log_excerpt(answer.extract<std::string>(), hidden);
      if (failure.log_lines.empty()) failure.log_elsewhere = "Dokploy gave an empty log for it; see " + page;
   } catch (const ApiError& e) {
      if (e.http_status() == 404 && e.dokploy_message() != "Deployment not found")
         failure.log_elsewhere = "Dokploy " + version +
                                 " has no deployment.readLogs to give its log; read it in Dokploy: " + page;
      else
         failure.log_elsewhere = "its log could not be read (" + std::string(e.what()) + "); see " + page;
   } catch (const dpp::sdk::Error& e) {
      failure.log_elsewhere = "its log could not be read (" + std::string(e.what()) + "); see " + page;
   }
   return failure;
}

}  // namespace dpp::dokploy

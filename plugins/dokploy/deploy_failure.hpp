// Why a Dokploy deploy failed, as far as Dokploy tells: the deployment's errorMessage (Dokploy
// fills it only when it could not even start the job) and the end of the deployment's log
// (deployment.readLogs, which Dokploy v0.24 to v0.26 do not have), or else where Dokploy's web
// interface shows that log.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dokploy_api.hpp"
#include "service_driver.hpp"

namespace dpp::dokploy {

struct DeployFailure {
   std::string error_message;           // the deployment row's errorMessage ("" when null)
   std::vector<std::string> log_lines;  // the end of its log, safe to show (log_excerpt)
   std::string log_elsewhere;           // when no log could be read: why, and where to read it

   // What follows "the deploy of 'X' failed" in an error message: the errorMessage, then the log
   // lines one per line, or where the log is.
   std::string describe(const std::string& containers) const;
};

// Reads what Dokploy says about `deployment`, the failed deployment of `view` (one request,
// deployment.readLogs). It never throws for what it cannot read (no such procedure, an empty
// log, a failed request): the result then says where the log is. `secrets` are the values that
// must not be shown (the workspace's environment); `version` names the Dokploy version.
DeployFailure read_deploy_failure(DokployApi& api, const ServiceView& view,
                                  const std::optional<Deployment>& deployment,
                                  const std::vector<std::string>& secrets, const std::string& version);

// The page of Dokploy's web interface with the service's deployments and their logs.
std::string deployments_page(const std::string& server_url, const ServiceView& view);

}  // namespace dpp::dokploy

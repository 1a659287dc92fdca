// Shared parts of the service drivers: deployments and the newest of them.
#include "service_driver.hpp"

namespace dpp::dokploy {

std::optional<Deployment> ServiceView::newest() const {
   const Deployment* best = nullptr;
   for (const auto& deployment : deployments)
      if (!best || deployment.created_at > best->created_at ||
          (deployment.created_at == best->created_at && &deployment > best))
         best = &deployment;
   if (!best) return std::nullopt;
   return *best;
}

std::vector<Deployment> ServiceDriver::read_deployments(const json::Object& row) {
   std::vector<Deployment> out;
   for (const json::Object& item : json::objects(json::array(row, "deployments")))
      out.push_back({json::text(item, "deploymentId"), json::text(item, "status"),
                     json::text(item, "errorMessage"), json::text(item, "createdAt")});
   return out;
}

}  // namespace dpp::dokploy

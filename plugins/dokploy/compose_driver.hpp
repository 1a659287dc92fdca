// Workspaces as Dokploy compose services (docker compose on the server): privileged containers,
// published ports and named volumes all work, so Docker-in-Docker does too. The default kind.
#pragma once

#include "service_driver.hpp"

namespace dpp::dokploy {

class ComposeDriver final : public ServiceDriver {
 public:
   using ServiceDriver::ServiceDriver;
   ServiceKind kind() const override { return ServiceKind::compose; }
   std::optional<ServiceView> one(const std::string& id) override;
   ServiceView create(const Placement& placement, const WorkspacePlan& plan,
                      const Features& features) override;
   bool converge(const ServiceView& view, const WorkspacePlan& plan, const Features& features) override;
   void deploy(const std::string& id, const std::string& title) override;
   void start(const std::string& id) override;
   void stop(const std::string& id) override;
   bool remove(const std::string& id, bool keep_volumes) override;
   // `docker compose down --volumes` (Dokploy's compose.delete with deleteVolumes).
   bool removes_volumes() const override { return true; }
   bool shows_containers(const ServiceView& view) override;
   std::string container_state(const ServiceView& view) override;

   static ServiceView view_of(const json::Object& row);

 private:
   // docker.getContainersByAppNameMatch for the compose project view.app_name.
   json::Array containers(const ServiceView& view);
};

}  // namespace dpp::dokploy

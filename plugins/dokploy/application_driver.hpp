// Workspaces as Dokploy applications (Docker Swarm services). Swarm cannot run privileged
// containers, so Docker-in-Docker (what DevPod's dev containers need) requires the compose kind;
// an application suits images that need no Docker daemon inside.
#pragma once

#include "service_driver.hpp"

namespace dpp::dokploy {

// One line of `docker service ps` as docker.getServiceContainersByAppName gives it.
struct SwarmTask {
   std::string name;
   std::string desired_state;  // "running", "shutdown" (lower case)
   std::string current_state;  // "Running 5 minutes ago", "Rejected 3 seconds ago"; "" up to v0.26
   std::string error;
   // Dokploy v0.26 and older list only the desired state: a task Swarm wants running is taken as
   // running there.
   bool running() const {
      return current_state.empty() ? desired_state == "running" : current_state.starts_with("Running");
   }
   // What a message shows of its state.
   const std::string& state_text() const { return current_state.empty() ? desired_state : current_state; }
};

class ApplicationDriver final : public ServiceDriver {
 public:
   using ServiceDriver::ServiceDriver;
   ServiceKind kind() const override { return ServiceKind::application; }
   std::optional<ServiceView> one(const std::string& id) override;
   ServiceView create(const Placement& placement, const WorkspacePlan& plan,
                      const Features& features) override;
   bool converge(const ServiceView& view, const WorkspacePlan& plan, const Features& features) override;
   void deploy(const std::string& id, const std::string& title) override;
   void start(const std::string& id) override;
   void stop(const std::string& id) override;
   bool remove(const std::string& id, bool keep_volumes) override;
   // Dokploy's application.delete runs `docker service rm`, which leaves the named volumes to
   // Docker, and no Dokploy call removes them (packages/server/src/utils/docker/utils.ts,
   // removeService ignores its deleteVolumes argument).
   bool removes_volumes() const override { return false; }
   bool shows_containers(const ServiceView& view) override;
   std::string container_state(const ServiceView& view) override;
   // The service's Swarm tasks (none when it has no Swarm service); throws ApiError.
   std::vector<SwarmTask> tasks(const ServiceView& view);

   static ServiceView view_of(const json::Object& row);

   // The application.update keys that carry the command: {command, args} from v0.26 (command
   // split on spaces, so it must be one word), the whole argv as one sh command line before.
   struct CommandColumns {
      std::optional<std::string> command;
      std::optional<std::vector<std::string>> args;  // v0.26+
   };
   static CommandColumns command_columns(const std::vector<std::string>& argv, const Features& features);

 private:
   bool converge_once(const ServiceView& view, const WorkspacePlan& plan, const Features& features);
   // converge_once's steps: each brings one part of the application in line with the plan, with
   // one request when it differs; true when it did.
   bool converge_image(const ServiceView& view, const dpp::sdk::WorkspaceSpec& spec);
   bool converge_environment(const ServiceView& view, const dpp::sdk::WorkspaceSpec& spec,
                             const Features& features);
   // Name, command and resource limits (one application.update).
   bool converge_settings(const ServiceView& view, const WorkspacePlan& plan, const Features& features);
   bool converge_ssh_port(const ServiceView& view, const WorkspacePlan& plan);
   bool converge_volumes(const ServiceView& view, const dpp::sdk::WorkspaceSpec& spec);
};

}  // namespace dpp::dokploy

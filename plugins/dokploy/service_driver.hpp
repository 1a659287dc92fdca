// The two kinds of Dokploy service a workspace can be (compose, application) behind one
// interface, and the kind-neutral view of a service that the backend's logic works on.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dokploy_api.hpp"
#include "dokploy_version.hpp"
#include "json_util.hpp"
#include "project_index.hpp"
#include "workspace_plan.hpp"

namespace dpp::dokploy {

struct Deployment {
   std::string id;
   std::string status;  // running | done | error | cancelled
   std::string error_message;
   std::string created_at;
};

// A service as `one` reads it.
struct ServiceView {
   ServiceKind kind = ServiceKind::compose;
   std::string id;
   std::string name;
   std::string app_name;
   std::string status;  // idle | running | done | error | (newer Dokploy: more)
   std::string server_id;
   std::string server_ip;  // the `server` relation's ipAddress, when it has one
   std::vector<Deployment> deployments;
   json::Object row;

   // The most recent deployment (by creation time, whatever order Dokploy lists them in).
   std::optional<Deployment> newest() const;
};

// Where new services go: an environment (v0.25+) or a project (before).
struct Placement {
   std::string project_id;
   std::string environment_id;
};

class ServiceDriver {
 public:
   explicit ServiceDriver(DokployApi& api) : api_(api) {}
   virtual ~ServiceDriver() = default;
   ServiceDriver(const ServiceDriver&) = delete;
   ServiceDriver& operator=(const ServiceDriver&) = delete;

   virtual ServiceKind kind() const = 0;
   // <kind>.one; nullopt when Dokploy answers 404 (the service does not exist).
   virtual std::optional<ServiceView> one(const std::string& id) = 0;
   // Makes the service with what the create request itself carries; converge() does the rest.
   // One request (Repeat::once: ApiError::uncertain() means "look it up before trying again").
   virtual ServiceView create(const Placement& placement, const WorkspacePlan& plan,
                              const Features& features) = 0;
   // Changes what differs between the service and `plan`; true when anything changed (the next
   // deploy applies it).
   virtual bool converge(const ServiceView& view, const WorkspacePlan& plan, const Features& features) = 0;
   virtual void deploy(const std::string& id, const std::string& title) = 0;
   // Runs a stopped service again without a deploy; throws ApiError when Dokploy cannot (for
   // instance a service that was never deployed).
   virtual void start(const std::string& id) = 0;
   virtual void stop(const std::string& id) = 0;
   // Deletes it; false when Dokploy did not know it (404).
   virtual bool remove(const std::string& id, bool keep_volumes) = 0;
   // Whether remove() without keep_volumes also removes the service's named volumes.
   virtual bool removes_volumes() const = 0;
   // Whether Dokploy still lists containers of the service view.app_name (after a delete: it is
   // still removing them).
   virtual bool shows_containers(const ServiceView& view) = 0;
   // One line on what the platform says about the containers, for error messages ("" if unknown).
   virtual std::string container_state(const ServiceView& view) = 0;

 protected:
   DokployApi& api_;
   static std::vector<Deployment> read_deployments(const json::Object& row);
};

}  // namespace dpp::dokploy

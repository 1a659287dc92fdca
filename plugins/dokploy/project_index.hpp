// What one project.all answer says: projects, their environments and every service's id, name
// and status, read from either shape (environments since v0.25, services on the project before).
#pragma once

#include <Poco/Dynamic/Var.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace dpp::dokploy {

enum class ServiceKind { compose, application };
const char* kind_name(ServiceKind kind);

struct IndexedService {
   ServiceKind kind = ServiceKind::compose;
   std::string id;
   std::string name;
   std::string status;
   std::string app_name;  // only up to v0.24 (project.all carried full rows then)
   std::string project_id;
   std::string environment_id;
};

struct IndexedEnvironment {
   std::string id;
   std::string name;
   bool is_default = false;
};

struct IndexedProject {
   std::string id;
   std::string name;
   std::string created_at;
   std::vector<IndexedEnvironment> environments;
};

class ProjectIndex {
 public:
   static ProjectIndex parse(const Poco::Dynamic::Var& answer);

   const std::vector<IndexedProject>& projects() const { return projects_; }
   const std::vector<IndexedService>& services() const { return services_; }

   // Projects called `name`, oldest first (Dokploy allows duplicates; the oldest is used).
   std::vector<const IndexedProject*> named(const std::string& name) const;
   // Services of `machine_id` in the projects called `project_name`.
   std::vector<IndexedService> machine_services(const std::string& project_name,
                                                const std::string& machine_id) const;
   // SSH ports of every service named like ours, in any project, except `except_service_id`.
   std::set<uint16_t> ports_in_use(const std::string& except_service_id) const;

 private:
   std::vector<IndexedProject> projects_;
   std::vector<IndexedService> services_;
};

}  // namespace dpp::dokploy

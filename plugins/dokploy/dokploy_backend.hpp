// The Dokploy backend: DevPod workspaces as Dokploy compose services or applications. Supports
// Dokploy v0.24.0 and newer (checked against v0.30.2; newer versions are used as v0.30.2).
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>

#include <dpp/cpp/plugin.hpp>

#include "application_driver.hpp"
#include "compose_driver.hpp"
#include "deploy_failure.hpp"
#include "deploy_monitor.hpp"
#include "dokploy_api.hpp"
#include "dokploy_version.hpp"
#include "machine_record.hpp"
#include "plugin_options.hpp"
#include "project_index.hpp"
#include "removal_summary.hpp"
#include "shared_addresses.hpp"

namespace dpp::dokploy {

class DokployBackend final : public dpp::sdk::Backend {
 public:
   DokployBackend(dpp::sdk::Host host, const dpp::sdk::Options& options);
   ~DokployBackend() override;

   void check(dpp::sdk::CheckReport& report) override;
   dpp::sdk::WorkspaceInfo create(const dpp::sdk::WorkspaceSpec& spec) override;
   dpp::sdk::WorkspaceInfo start(const dpp::sdk::WorkspaceSpec& spec) override;
   void stop(const std::string& machine_id) override;
   void remove(const std::string& machine_id, bool keep_volumes) override;
   dpp::sdk::WorkspaceInfo status(const std::string& machine_id) override;

 private:
   // Where a machine's service was found.
   struct Located {
      std::optional<ServiceView> view;        // the full row, when read
      std::optional<IndexedService> indexed;  // its project.all entry, when looked up by name
      std::optional<ProjectIndex> index;      // the project.all answer, when one was fetched
      std::optional<MachineRecord> record;    // the state's record, when it was usable
      bool found() const { return view || indexed; }
   };
   enum class Mode { create, start };

   const Features& features();
   // doctor with a machine: whether its application's SSH port is reachable through the way it
   // is published (a routing mesh that does not forward is reported with the fix).
   void check_publishing(dpp::sdk::CheckReport& report);
   void check_sharing(dpp::sdk::CheckReport& report);
   ServiceDriver& driver(ServiceKind kind);
   ProjectIndex fetch_index();
   Located locate(const std::string& machine_id, bool full_row);
   Placement ensure_placement(const ProjectIndex& index);
   ServiceView create_service(ServiceDriver& driver, const Placement& placement, const WorkspacePlan& plan,
                              MachineRecord& record);
   dpp::sdk::WorkspaceInfo bring_up(ServiceDriver& driver, ServiceView view,
                                    const dpp::sdk::WorkspaceSpec& spec, Mode mode, bool fresh,
                                    MachineRecord& record, const Stopwatch& clock);
   // Converges the service's domains with DOKPLOY_EXPOSE_*; `view` is read again when a
   // domain.create's outcome was unknown. True when a compose service must deploy to apply them.
   bool share_ports(ServiceDriver& driver, ServiceView& view, const std::string& machine_id,
                    MachineRecord& record);
   void report_addresses(const std::vector<SharedAddress>& addresses) const;
   uint16_t reallocate_port(const std::string& machine_id, const std::string& service_id,
                            std::set<uint16_t>& avoid);
   // Why a failed deploy of `view` looks like `port` being taken by another service, or "".
   std::string port_conflict(const DeployFailure& failure, const ServiceView& view, uint16_t port);
   void discard_failed(ServiceDriver& driver, const ServiceView& view, const dpp::sdk::WorkspaceSpec& spec,
                       MachineRecord& record);
   std::string ssh_host_for(const std::string& server_ip);
   void check_leftover_volumes(dpp::sdk::CheckReport& report, const ProjectIndex& index);
   // Logs the one line of a delete: a warning when volumes stay that were not asked to.
   void report_removal(const Removal& removal);
   MachineRecord record_for(const ServiceView& view, uint16_t port, const std::string& ssh_host) const;
   dpp::sdk::WorkspaceInfo info_for(const std::string& status, const std::string& name,
                                    const std::string& ssh_host, uint16_t port,
                                    const std::string& extra) const;

   dpp::sdk::Host host_;
   Settings settings_;
   std::unique_ptr<DokployApi> api_;
   std::unique_ptr<ComposeDriver> compose_;
   std::unique_ptr<ApplicationDriver> application_;
   std::optional<Features> features_;
   std::optional<std::string> server_ip_;  // DOKPLOY_SERVER_ID's ipAddress, once read
};

// DPP_WORKSPACE_* for a Dokploy applicationStatus / composeStatus.
int32_t workspace_state(const std::string& status);

}  // namespace dpp::dokploy

// What the backend wants Dokploy to run for one workspace, in the platform's terms: the host's
// spec plus the service name and SSH port this backend chose.
#pragma once

#include <dpp/cpp/plugin.hpp>

#include <cstdint>
#include <string>

#include "plugin_options.hpp"
#include "project_index.hpp"

namespace dpp::dokploy {

struct WorkspacePlan {
   dpp::sdk::WorkspaceSpec spec;
   uint16_t ssh_port = 0;  // published port on the server
   std::string name;       // service_name(machine_id, ssh_port)
   // How a privileged spec (Docker inside) gets its privileges (compose services only).
   DockerPrivileges docker_privileges = DockerPrivileges::privileged;

   // Checks every value of the spec that reaches Dokploy (names, volumes, UTF-8); throws
   // Error(DPP_E_CONFIG / DPP_E_INVALID_ARGUMENT) naming the bad value.
   static void validate(const dpp::sdk::WorkspaceSpec& spec);
};

// The spec plus the workspace's own identity in Dokploy, as DPP_DOKPLOY_SERVICE_KIND and
// DPP_DOKPLOY_SERVICE_ID: the bootstrap records them for the auto-stop command DevPod's agent runs
// inside the workspace (provider.yaml agent.exec.shutdown). Not secret; known once the service exists.
dpp::sdk::WorkspaceSpec with_service_identity(dpp::sdk::WorkspaceSpec spec, ServiceKind kind,
                                              const std::string& id);

// "1.5" for 1500 thousandths of a CPU.
std::string cpus_text(uint64_t millis);

}  // namespace dpp::dokploy

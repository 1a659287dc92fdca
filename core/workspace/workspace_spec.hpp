// Builds the platform-neutral workspace spec the host hands to a backend: the image, the
// bootstrap script as the command, the environment that tells the bootstrap how to accept the
// auth plugin's credentials, the volumes and the limits.
#pragma once

#include <dpp/dpp.h>

#include <string>
#include <vector>

#include "options/configuration.hpp"

namespace dpp::core {

// The port sshd listens on inside the workspace (not 22: a container on the host's network
// must not collide with the server's own sshd).
inline constexpr uint16_t kWorkspaceSshPort = 2222;

// Owns every string the dpp_workspace_spec points to. Not copyable: the spec points into it.
class WorkspaceSpec {
 public:
   WorkspaceSpec(const Configuration& config, const std::string& machine_id, const dpp_workspace_auth& auth);
   WorkspaceSpec(const WorkspaceSpec&) = delete;
   WorkspaceSpec& operator=(const WorkspaceSpec&) = delete;

   const dpp_workspace_spec& get() const { return spec_; }

 private:
   std::string machine_id_;
   std::string image_;
   std::vector<std::string> command_;
   std::vector<const char*> command_pointers_;
   std::vector<std::pair<std::string, std::string>> env_;
   std::vector<dpp_env_var> env_items_;
   std::vector<std::pair<std::string, std::string>> volumes_;
   std::vector<dpp_volume> volume_items_;
   dpp_workspace_spec spec_{};
};

}  // namespace dpp::core

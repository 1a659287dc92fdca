// Builds the workspace spec.
#include "workspace/workspace_spec.hpp"

#include <cmath>

#include "options/host_options.hpp"
#include "workspace/bootstrap_script.hpp"

namespace dpp::core {

WorkspaceSpec::WorkspaceSpec(const Configuration& config, const std::string& machine_id,
                             const dpp_workspace_auth& auth)
    : machine_id_(machine_id), image_(config.get_or(kOptImage, "cruizba/ubuntu-dind:latest")) {
   command_ = {"/bin/sh", "-c", std::string(workspace_bootstrap_script())};
   for (const auto& part : command_) command_pointers_.push_back(part.c_str());

   const bool docker = config.get_bool(kOptDockerInWorkspace);
   // The bootstrap environment, as backend.h names it (read by workspace-bootstrap.sh).
   env_.emplace_back(DPP_ENV_SSH_PORT, std::to_string(kWorkspaceSshPort));
   env_.emplace_back(DPP_ENV_SSH_USER, auth.user);
   if (auth.authorized_key) env_.emplace_back(DPP_ENV_SSH_AUTHORIZED_KEY, auth.authorized_key);
   if (auth.password_hash) env_.emplace_back(DPP_ENV_SSH_PASSWORD_HASH, auth.password_hash);
   env_.emplace_back(DPP_ENV_SSH_HOST_KEY, auth.host_private_key_base64);
   env_.emplace_back(DPP_ENV_DOCKERD, docker ? "auto" : "off");
   for (const auto& [name, value] : env_) env_items_.push_back({name.c_str(), value.c_str()});

   if (config.get_bool(kOptPersistentVolumes)) {
      volumes_.emplace_back("home", std::string("/home/") + auth.user);
      if (docker) volumes_.emplace_back("docker", "/var/lib/docker");
   }
   for (const auto& [name, path] : volumes_) volume_items_.push_back({name.c_str(), path.c_str()});

   spec_.struct_size = sizeof spec_;
   spec_.machine_id = machine_id_.c_str();
   spec_.image = image_.c_str();
   spec_.command = command_pointers_.data();
   spec_.command_count = static_cast<uint32_t>(command_pointers_.size());
   spec_.env = env_items_.data();
   spec_.env_count = static_cast<uint32_t>(env_items_.size());
   spec_.ssh_port = kWorkspaceSshPort;
   spec_.volumes = volume_items_.data();
   spec_.volume_count = static_cast<uint32_t>(volume_items_.size());
   spec_.memory_limit_bytes = config.get_u64(kOptMemoryLimit, 0);
   if (auto cpus = config.get(kOptCpuLimit))
      spec_.cpu_limit_millis = static_cast<uint64_t>(std::llround(std::stod(*cpus) * 1000));
   spec_.flags = (docker ? uint32_t{DPP_WORKSPACE_PRIVILEGED} : 0u) |
                 (config.get_bool(kOptKeepFailed) ? uint32_t{DPP_WORKSPACE_KEEP_FAILED} : 0u);
   spec_.timeout_ms =
       static_cast<uint32_t>(std::min<uint64_t>(config.get_u64(kOptCreateTimeout, 600'000), UINT32_MAX));
}

}  // namespace dpp::core

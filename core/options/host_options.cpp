// The options the host itself understands: plugin selection and the platform-neutral parts of
// the workspace spec. Defaults here are the documented defaults (README, provider.yaml).
#include "options/host_options.hpp"

namespace dpp::core {
namespace {

OptionSpec host_option(const char* name, const char* description, const char* default_value, int32_t type,
                       const char* group, std::vector<std::string> enum_values = {}) {
   OptionSpec spec;
   spec.name = name;
   spec.description = description;
   if (default_value) spec.default_value = default_value;
   spec.type = type;
   spec.group = group;
   spec.owner = "host";
   spec.enum_values = std::move(enum_values);
   return spec;
}

}  // namespace

const std::vector<OptionSpec>& host_option_specs() {
   static const std::vector<OptionSpec> specs = {
       host_option(kOptBackend,
                   "Backend plugin that runs workspaces: a plugin id (dokploy) or a plugin file.", "dokploy",
                   DPP_OPTION_STRING, "advanced"),
       host_option(kOptTransport,
                   "SSH transport plugin: libssh2 (in-process) or system (OpenSSH ssh), or a "
                   "plugin file.",
                   "libssh2", DPP_OPTION_STRING, "ssh"),
       host_option(kOptAuth,
                   "SSH login strategy: key (per-machine ed25519 key) or password (per-machine "
                   "random password), or a plugin file.",
                   "key", DPP_OPTION_STRING, "ssh"),
       host_option(kOptPluginPath, "Extra plugin files or folders, separated by ':'.", nullptr,
                   DPP_OPTION_STRING, "advanced"),
       host_option(kOptImage, "Container image of the workspace.", "cruizba/ubuntu-dind:latest",
                   DPP_OPTION_STRING, "workspace"),
       host_option(kOptCpuLimit, "CPU limit of the workspace in CPUs, e.g. 1.5. Unset: none.", nullptr,
                   DPP_OPTION_NUMBER, "workspace"),
       host_option(kOptMemoryLimit, "Memory limit of the workspace, e.g. 4g or 512m. Unset: none.", nullptr,
                   DPP_OPTION_SIZE, "workspace"),
       host_option(kOptPersistentVolumes,
                   "Keep the home folder and /var/lib/docker in named volumes that survive "
                   "restarts and redeploys.",
                   "true", DPP_OPTION_BOOLEAN, "workspace"),
       host_option(kOptDockerInWorkspace,
                   "Run a Docker daemon inside the workspace (needs a privileged container; "
                   "DevPod needs it for dev containers).",
                   "true", DPP_OPTION_BOOLEAN, "workspace"),
       host_option(kOptCreateTimeout, "How long create and start may wait for the workspace to answer SSH.",
                   "10m", DPP_OPTION_DURATION, "advanced"),
       host_option(kOptKeepFailed, "Keep what a failed create made, for inspection, instead of deleting it.",
                   "false", DPP_OPTION_BOOLEAN, "advanced"),
       host_option(kOptKeepVolumes, "Keep the workspace's volumes when it is deleted.", "false",
                   DPP_OPTION_BOOLEAN, "advanced"),
       host_option(kOptSshConnectTimeout,
                   "How long command keeps retrying to connect while the workspace starts.", "20s",
                   DPP_OPTION_DURATION, "ssh"),
   };
   return specs;
}

}  // namespace dpp::core

// The options the host itself understands: plugin selection and the platform-neutral parts of
// the workspace spec. Defaults here are the documented defaults (README, provider.yaml).
#include "options/host_options.hpp"

#include <regex>

#include "options/configuration.hpp"
#include "util/text.hpp"

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

std::vector<std::string> check_host_option_values(const Configuration& config) {
   std::vector<std::string> problems;
   // Docker refuses less than 6 MiB; a workspace with sshd and a shell needs far more anyway.
   constexpr uint64_t kMinimumMemory = 6ull * 1024 * 1024;
   if (auto memory = config.get(kOptMemoryLimit); memory && std::stoull(*memory) < kMinimumMemory)
      problems.push_back(std::string(kOptMemoryLimit) + " is " + *memory +
                         " bytes, below Docker's minimum of 6 MiB. Expected a size such as 512m or 4g.");
   if (auto cpus = config.get(kOptCpuLimit); cpus && std::stod(*cpus) > 1024)
      problems.push_back(std::string(kOptCpuLimit) + "=" + *cpus +
                         " is more CPUs than any server has. Expected a number such as 2 or 1.5.");
   static const std::regex image_reference("[a-zA-Z0-9][a-zA-Z0-9._/:@-]{0,254}");
   if (auto image = config.get(kOptImage); image && !std::regex_match(*image, image_reference))
      problems.push_back(std::string(kOptImage) + "='" + printable_excerpt(*image) +
                         "' is not an image reference. Expected something like cruizba/ubuntu-dind:latest.");
   return problems;
}

}  // namespace dpp::core

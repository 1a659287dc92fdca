// The options the host itself understands (plugins declare theirs through the ABI).
#pragma once

#include <vector>

#include "options/option_spec.hpp"

namespace dpp::core {

// Names, so that no other file spells them.
inline constexpr const char* kOptBackend = "DOKPLOY_BACKEND";
inline constexpr const char* kOptTransport = "DOKPLOY_SSH_TRANSPORT";
inline constexpr const char* kOptAuth = "DOKPLOY_SSH_AUTH";
inline constexpr const char* kOptPluginPath = "DOKPLOY_PLUGIN_PATH";
inline constexpr const char* kOptImage = "DOKPLOY_IMAGE";
inline constexpr const char* kOptCpuLimit = "DOKPLOY_CPU_LIMIT";
inline constexpr const char* kOptMemoryLimit = "DOKPLOY_MEMORY_LIMIT";
inline constexpr const char* kOptPersistentVolumes = "DOKPLOY_PERSISTENT_VOLUMES";
inline constexpr const char* kOptCreateTimeout = "DOKPLOY_CREATE_TIMEOUT";
inline constexpr const char* kOptKeepFailed = "DOKPLOY_KEEP_FAILED";
inline constexpr const char* kOptKeepVolumes = "DOKPLOY_KEEP_VOLUMES";
inline constexpr const char* kOptSshConnectTimeout = "DOKPLOY_SSH_CONNECT_TIMEOUT";
inline constexpr const char* kOptDockerInWorkspace = "DOKPLOY_DOCKER_IN_WORKSPACE";

const std::vector<OptionSpec>& host_option_specs();

class Configuration;
// Checks that go beyond an option's type (a memory limit Docker would refuse, an image reference
// that is not one). Returns one message per problem, in the style of resolve_configuration.
std::vector<std::string> check_host_option_values(const Configuration& config);

}  // namespace dpp::core

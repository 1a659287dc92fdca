// The docker-compose file of a workspace: image, the bootstrap as entrypoint, the privileges
// Docker inside needs when asked (DOKPLOY_DOCKER_PRIVILEGES), the SSH port published, named
// volumes, limits, the environment, restart unless-stopped.
#pragma once

#include <string>

#include "workspace_plan.hpp"

namespace dpp::dokploy {

// The file's one service: the workspace. Dokploy's compose domains name it (serviceName).
inline constexpr const char* kComposeServiceName = "workspace";

// Deterministic (the same plan gives the same bytes, so an unchanged workspace is recognised).
// Every scalar a spec supplies is a double-quoted string with '$' doubled: nothing in the spec can
// change the file's structure or be interpolated by Compose.
std::string compose_file(const WorkspacePlan& plan);

}  // namespace dpp::dokploy

// How a DevPod machine's Dokploy service is named: derived from MACHINE_ID alone (so a lost state
// file is recovered by looking the name up) and carrying its SSH port (so one project.all shows
// the ports of all our workspaces).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dpp::dokploy {

// DevPod's MACHINE_ID rule: [a-z0-9-]{1,48}.
bool valid_machine_id(std::string_view machine_id);

// "devpod-<machine_id> (ssh <port>)".
std::string service_name(std::string_view machine_id, uint16_t port);

struct ParsedName {
   std::string machine_id;
   uint16_t port = 0;
};
// The inverse of service_name; nullopt for any other name.
std::optional<ParsedName> parse_service_name(std::string_view name);

// The appName asked for ("devpod-<machine_id>"); Dokploy appends "-<6 random characters>" and
// the result stays within its 63 characters.
std::string requested_app_name(std::string_view machine_id);

// A named volume of a service as Docker calls it: "<appName>_<volume>" (a Compose project and a
// Swarm service are both named after the appName, and the application driver names its mounts so).
std::string docker_volume_name(std::string_view app_name, std::string_view volume);

// The machine whose workspace a Docker volume belongs to, read from its name
// ("devpod-<machine_id>-<6 characters>_<volume>"); nullopt for any other volume.
std::optional<std::string> volume_machine_id(std::string_view volume_name);

}  // namespace dpp::dokploy

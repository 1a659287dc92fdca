// Glue between the transport and the checks that need SSH: the dpp_host.check_endpoint service
// offered to backends, and the host's own verification of an endpoint.
#pragma once

#include <optional>
#include <string>

#include "lifecycle/session.hpp"
#include "state/machine_state.hpp"

namespace dpp::core {

// Makes dpp_host.check_endpoint answer through the session's transport; `pinned_host_key` is
// used when a backend passes NULL (this machine's own workspace key).
void offer_endpoint_checks(Session& session, const std::string& pinned_host_key);

// The login user a backend's answer names (nullopt: none, the auth plugin's applies). Refuses
// root (PluginError naming `backend`): no workspace lets root log in over SSH, and DevPod's agent
// and every command would run as root.
std::optional<std::string> backend_login_user(const dpp_workspace_info& info, const PluginLibrary& backend);

// Turns a backend's workspace info into the endpoint the transport will use: the backend's user
// and host key when it gave them, else the auth plugin's.
Endpoint endpoint_from_info(const dpp_workspace_info& info, const PluginLibrary& backend,
                            const std::string& default_user, const std::string& default_host_key);

}  // namespace dpp::core

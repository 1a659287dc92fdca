// Per-machine keys kept in the machine folder through the host (0600, atomic, no symlinks):
// made once from the OS CSPRNG, then only read back, so a workspace's credentials never change.
#pragma once

#include <dpp/cpp/plugin.hpp>
#include <string>

#include "common/openssh_keys.hpp"

namespace dpp::plugins {

// The ed25519 key pair stored as `<name>` and `<name>.pub` in the machine folder: loaded and
// checked when present; made when missing and `create` is set; else Error(DPP_E_NOT_FOUND).
// A corrupt file is Error(DPP_E_IO) naming it.
OpensshKeyPair machine_key_pair(const sdk::Host& host, const std::string& name, const std::string& comment,
                                bool create);

// The workspace's sshd host key every auth strategy injects (file "ssh_host_ed25519_key").
inline constexpr const char* kWorkspaceHostKeyFile = "ssh_host_ed25519_key";

// The WorkspaceAuth fields every strategy shares: user, host key (base64 private, public line).
sdk::WorkspaceAuth workspace_auth_with_host_key(const OpensshKeyPair& host_key, const std::string& user);

}  // namespace dpp::plugins

// The command line of OpenSSH's `ssh` for one run (or `sshpass -d 3 ssh …` for a password):
// every option that makes the run independent of the user's ssh configuration, agent and
// known_hosts, pinned to exactly one host key, without any forwarding.
#pragma once

#include <chrono>
#include <dpp/cpp/plugin.hpp>
#include <string>
#include <vector>

#include "common/ssh_public_key.hpp"

namespace dpp::plugins::system_ssh {

// The name the pinned key is filed under in our private known_hosts, so that the line needs
// no host or port (HostKeyAlias).
inline constexpr const char* kHostKeyAlias = "dokploy-workspace";

struct SshInvocation {
   std::string ssh;      // absolute path of ssh
   std::string sshpass;  // absolute path of sshpass (password logins only)
   std::string known_hosts_file;
   std::string log_file;
   // Connection reuse: the control socket ("" = none) and how long an idle master stays.
   std::string control_path;
   std::chrono::seconds control_persist{0};
   std::chrono::milliseconds keepalive{0};
   std::chrono::seconds connect_timeout{20};
   std::string remote_command;
};

// argv for the run; the password never appears in it (sshpass reads it from descriptor 3).
std::vector<std::string> ssh_argv(const SshInvocation& invocation, const sdk::SshTarget& target);

// The known_hosts line that pins `key` under kHostKeyAlias.
std::string known_hosts_line(const SshPublicKey& key);

// A control socket path in `folder` named by a hash of everything that makes a connection
// reusable (user, host, port, pinned key, credentials): a different pinned key never reuses a
// connection whose key was checked against another one.
std::string control_path(const std::string& folder, const sdk::SshTarget& target, const SshPublicKey& pinned);

}  // namespace dpp::plugins::system_ssh

// What both SSH transports share in configuration: the keepalive option, the default connect
// bound, and the checks of a run's credentials before anything connects.
#pragma once

#include <chrono>
#include <cstdint>
#include <dpp/cpp/plugin.hpp>

namespace dpp::plugins {

inline constexpr const char* kOptSshKeepalive = "DOKPLOY_SSH_KEEPALIVE";

// Dead-peer detection: after `interval` without a byte from the server a keepalive is sent, and
// again after every further interval; when three in a row go unanswered (4 intervals of silence)
// the session is declared lost. The default of 15 s thus detects a dead server within 60 s.
constexpr dpp_option_desc keepalive_option() {
   return sdk::option(kOptSshKeepalive,
                      "Interval of SSH keepalives; a workspace that answers none of 3 in a row (4 intervals "
                      "of silence) is reported as lost. 0 turns them off.")
       .of_type(DPP_OPTION_DURATION)
       .defaults_to("15s")
       .in_group("ssh");
}

// How many unanswered keepalives end a session (OpenSSH's ServerAliveCountMax).
inline constexpr int kKeepaliveCountMax = 3;

// The configured interval (0: off); values below one second are raised to one second, the
// resolution both libssh2 and OpenSSH work with.
std::chrono::milliseconds keepalive_interval(const sdk::Options& options);

// connect_timeout_ms == 0 means this.
inline constexpr uint32_t kDefaultConnectTimeoutMs = 20'000;

// Refuses credentials a server would refuse anyway, with the fix in the message: no user, an
// unknown kind, a missing or group/world-readable private key file (OpenSSH ignores those), an
// empty password. Throws sdk::Error(DPP_E_CONFIG / DPP_E_INVALID_ARGUMENT).
void check_ssh_credentials(const sdk::Credentials& credentials);

// A duration for messages, in seconds with up to three significant digits ("0.75", "12", "60").
std::string ssh_seconds_text(std::chrono::nanoseconds duration);

// "<user>@<host:port>" for messages.
std::string ssh_login_name(const sdk::SshTarget& target);

}  // namespace dpp::plugins

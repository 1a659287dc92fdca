// Pumps bytes between the host's descriptors and a running libssh2 channel until the remote
// command has exited: stdin → channel (EOF forwarded), channel stdout → stdout, channel stderr →
// stderr, full duplex, never more than one copy per byte on our side; sends keepalives and
// detects a dead server; stops promptly on cancellation.
#pragma once

#include <libssh2.h>

#include <chrono>
#include <dpp/cpp/plugin.hpp>
#include <string_view>

#include "common/ssh_cancel.hpp"
#include "libssh2_session.hpp"

namespace dpp::plugins::libssh2 {

struct PumpDescriptors {
   int stdin_fd;
   int stdout_fd;
   int stderr_fd;
};

// Runs the pump on `channel` (started by `session`) and returns how the remote command ended.
// `stdin_prefix` goes to the channel before the bytes of `fds.stdin_fd`.
// Throws sdk::Error: DPP_E_CONNECTION_LOST (the server vanished or stopped answering
// keepalives), DPP_E_CANCELLED, DPP_E_IO (a local descriptor failed), DPP_E_PROTOCOL.
sdk::RunResult pump_channel(Session& session, LIBSSH2_CHANNEL* channel, const PumpDescriptors& fds,
                            std::string_view stdin_prefix, std::chrono::milliseconds keepalive,
                            const SshCanceller& canceller, const sdk::Host& host);

}  // namespace dpp::plugins::libssh2

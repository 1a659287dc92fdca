// The libssh2 transport: probe and run.
#include "libssh2_transport.hpp"

#include <algorithm>

#include "channel_pump.hpp"
#include "common/ssh_launch.hpp"
#include "common/ssh_transport_config.hpp"
#include "descriptor_modes.hpp"
#include "libssh2_session.hpp"

namespace dpp::plugins::libssh2 {
namespace {

// After the login, opening the channel and starting the command get this long at least (a
// server that accepted us and then stalls is caught by this bound, not by connect_timeout_ms).
constexpr auto kStartBound = std::chrono::seconds(30);

}  // namespace

Libssh2Transport::Libssh2Transport(sdk::Host host, const sdk::Options& options)
    : host_(host), keepalive_(keepalive_interval(options)) {}

void Libssh2Transport::probe(const sdk::SshTarget& target, uint32_t timeout_ms) {
   canceller_.reset();
   const auto deadline =
       Clock::now() + std::chrono::milliseconds(timeout_ms ? timeout_ms : kDefaultConnectTimeoutMs);
   Session session(host_, canceller_);
   session.connect(target, deadline, /*retry=*/false);
   // Key exchange done and the key matched: leave without logging in.
   session.close(true);
}

sdk::RunResult Libssh2Transport::run(const sdk::RunRequest& request) {
   canceller_.reset();
   const sdk::SshTarget& target = request.target;
   check_ssh_credentials(target.credentials);
   const auto started = Clock::now();
   const auto deadline =
       started + std::chrono::milliseconds(target.connect_timeout_ms ? target.connect_timeout_ms
                                                                     : kDefaultConnectTimeoutMs);
   NonBlockingDescriptors modes;
   modes.add(request.stdin_fd, "stdin");
   modes.add(request.stdout_fd, "stdout");
   modes.add(request.stderr_fd, "stderr");

   // A script too long for the "exec" request follows on stdin, read by a loader (ssh_launch.hpp).
   const SshLaunch launch = ssh_launch(request.command, SignalReport::exit_signal);

   Session session(host_, canceller_);
   session.connect(target, deadline, /*retry=*/true);
   session.authenticate(target, deadline);
   LIBSSH2_CHANNEL* channel =
       session.start_command(launch.exec_command, std::max(deadline, Clock::now() + kStartBound));
   host_.debug("command started on ", ssh_login_name(target), " after ",
               std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count(), " ms");
   sdk::RunResult result =
       pump_channel(session, channel, PumpDescriptors{request.stdin_fd, request.stdout_fd, request.stderr_fd},
                    launch.stdin_prefix, keepalive_, canceller_, host_);
   session.close(true);
   return result;
}

}  // namespace dpp::plugins::libssh2

// The checks of DevPod's `command` transport on a running workspace: each returns whether it
// held and a one-line result, for the step log. Each runs its script through the DevPodClient it
// is given: the real CLI's `devpod machine ssh --command` or the in-house driver's `command`.
#pragma once

#include <string>
#include <utility>

#include "support/devpod_client.hpp"

namespace dpp::test::devpod {

using CheckResult = std::pair<bool, std::string>;

CheckResult check_echo(const DevPodClient& devpod, const Machine& machine);
CheckResult check_exit_code(const DevPodClient& devpod, const Machine& machine);
// Remote stderr on stderr only. With the real CLI it is awaited while the command still runs:
// `devpod machine ssh` may drop the last stderr line of a command that ends at once.
CheckResult check_stderr_apart(const DevPodClient& devpod, const Machine& machine);
// 16 MiB of random bytes through `cat` and back, compared by SHA-256.
CheckResult check_binary_round_trip(const DevPodClient& devpod, const Machine& machine);
// `cat > f; wc -c < f`: stdin's EOF must reach the remote side while stdout keeps flowing.
CheckResult check_half_close(const DevPodClient& devpod, const Machine& machine);
// 200 lines written one at a time, each answered before the next is sent.
CheckResult check_interactive_round_trips(const DevPodClient& devpod, const Machine& machine);
// DevPod's agent injection played by the in-house driver: ping, pong, a binary streamed over
// stdin until EOF, done.
CheckResult check_injection_handshake(const DevPodClient& devpod, const Machine& machine);
// After the real CLI's first `machine ssh`: its agent (a development build streams itself) is at
// provider.yaml's agent.path in the workspace, byte for byte `devpod_binary`.
CheckResult check_agent_injected(const DevPodClient& devpod, const Machine& machine,
                                 const std::string& devpod_binary);
// SIGINT during `sleep 60`: the provider exits without needing DevPod's SIGKILL.
CheckResult check_sigint(const DevPodClient& devpod, const Machine& machine);
// Writes `content` to ~/persist.txt, or reads it back.
CheckResult write_persisted_file(const DevPodClient& devpod, const Machine& machine,
                                 const std::string& content);
CheckResult read_persisted_file(const DevPodClient& devpod, const Machine& machine,
                                const std::string& content);

std::string sha256_hex(const std::string& data);
std::string random_bytes(std::size_t size, unsigned seed);

}  // namespace dpp::test::devpod

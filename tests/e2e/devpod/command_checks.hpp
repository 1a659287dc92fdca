// The checks of DevPod's `command` transport on a running workspace: each returns whether it
// held and a one-line result, for the step log.
#pragma once

#include <string>
#include <utility>

#include "support/devpod_driver.hpp"

namespace dpp::test::devpod {

using CheckResult = std::pair<bool, std::string>;

CheckResult check_echo(const DevPodDriver& driver, const Machine& machine);
CheckResult check_exit_code(const DevPodDriver& driver, const Machine& machine);
CheckResult check_stderr_apart(const DevPodDriver& driver, const Machine& machine);
// 16 MiB of random bytes through `cat` and back, compared by SHA-256.
CheckResult check_binary_round_trip(const DevPodDriver& driver, const Machine& machine);
// `cat > f; wc -c < f`: stdin's EOF must reach the remote side while stdout keeps flowing.
CheckResult check_half_close(const DevPodDriver& driver, const Machine& machine);
// 200 lines written one at a time, each answered before the next is sent.
CheckResult check_interactive_round_trips(const DevPodDriver& driver, const Machine& machine);
// DevPod's agent injection: ping, pong, a binary streamed over stdin until EOF, done.
CheckResult check_injection_handshake(const DevPodDriver& driver, const Machine& machine);
// SIGINT during `sleep 60`: the provider exits without needing DevPod's SIGKILL.
CheckResult check_sigint(const DevPodDriver& driver, const Machine& machine);
// Writes `content` to ~/persist.txt, or reads it back.
CheckResult write_persisted_file(const DevPodDriver& driver, const Machine& machine,
                                 const std::string& content);
CheckResult read_persisted_file(const DevPodDriver& driver, const Machine& machine,
                                const std::string& content);

std::string sha256_hex(const std::string& data);
std::string random_bytes(std::size_t size, unsigned seed);

}  // namespace dpp::test::devpod

// Whether an SSH server answers at host:port, by its banner alone: the fallback when the host
// offers no endpoint check in this run (`status` and `delete` load no SSH transport, to stay fast).
#pragma once

#include <cstdint>
#include <string>

namespace ssh_machine {

// True when a connection within `timeout_ms` is greeted by "SSH-2.0-"; `detail` says what
// happened otherwise ("connection refused", "timed out", "not an SSH server").
bool ssh_banner_answers(const std::string& host, uint16_t port, int timeout_ms, std::string& detail);

}  // namespace ssh_machine

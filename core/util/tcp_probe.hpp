// A cheap check that an SSH server answers at host:port: connect and read its banner.
#pragma once

#include <cstdint>
#include <string>

namespace dpp::core {

enum class ProbeResult { ssh_banner, other_service, unreachable };

// Connects within `timeout_ms` and reads the first line; ssh_banner when it starts with
// "SSH-2.0-", other_service when something else answered, unreachable otherwise. `detail`
// says what happened (for logs).
ProbeResult probe_ssh_banner(const std::string& host, uint16_t port, int timeout_ms, std::string& detail);

}  // namespace dpp::core

// A cheap check that an SSH server answers at host:port: connect and read its banner.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace dpp::core {

enum class ProbeResult { ssh_banner, other_service, unreachable };

// Connects within `timeout_ms` and reads the first line; ssh_banner when it starts with
// "SSH-2.0-", other_service when something else answered, unreachable otherwise. `detail`
// says what happened (for logs).
ProbeResult probe_ssh_banner(const std::string& host, uint16_t port, int timeout_ms, std::string& detail);

// The same probe started before it is known to be wanted: the constructor only issues a
// non-blocking connect() to a numeric address (never a name lookup, so it costs nothing when the
// answer is not needed), and finish() then waits for the banner. `status` starts one to the
// endpoint its state file remembers, so that the SSH server's banner (OpenSSH forks and re-executes
// itself per connection: milliseconds) arrives while the backend plugin loads and asks the API.
class EarlySshProbe {
 public:
   EarlySshProbe(const std::string& host, uint16_t port);
   ~EarlySshProbe();
   EarlySshProbe(const EarlySshProbe&) = delete;
   EarlySshProbe& operator=(const EarlySshProbe&) = delete;

   // Whether this probe can answer for host:port (it was started there).
   bool covers(const std::string& host, uint16_t port) const;
   // Waits up to `timeout_ms` from now; as probe_ssh_banner. Once only.
   ProbeResult finish(int timeout_ms, std::string& detail);

 private:
   std::string host_;
   uint16_t port_ = 0;
   int fd_ = -1;
   int connect_error_ = 0;  // errno of a connect() that failed at once
};

}  // namespace dpp::core

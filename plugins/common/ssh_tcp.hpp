// TCP connections to SSH servers: name resolution, a non-blocking connect bounded by a deadline
// and cancellable, and which failures are worth retrying while a workspace is still starting.
#pragma once

#include <chrono>
#include <cstdint>
#include <dpp/cpp/plugin.hpp>
#include <string>

#include "common/ssh_cancel.hpp"

namespace dpp::plugins {

// A failure to reach an SSH server. `retryable`: the server may simply not be up yet (refused,
// reset, unreachable, closed before its banner): a caller with time left tries again.
class SshConnectError : public sdk::Error {
 public:
   SshConnectError(dpp_status status, const std::string& message, bool retryable)
       : sdk::Error(status, message), retryable_(retryable) {}
   bool retryable() const noexcept { return retryable_; }

 private:
   bool retryable_;
};

// An owned file descriptor, closed on destruction.
class SshFd {
 public:
   SshFd() = default;
   explicit SshFd(int fd) : fd_(fd) {}
   ~SshFd() { reset(); }
   SshFd(SshFd&& other) noexcept : fd_(other.release()) {}
   SshFd& operator=(SshFd&& other) noexcept {
      if (this != &other) {
         reset();
         fd_ = other.release();
      }
      return *this;
   }
   SshFd(const SshFd&) = delete;
   SshFd& operator=(const SshFd&) = delete;

   int get() const noexcept { return fd_; }
   explicit operator bool() const noexcept { return fd_ >= 0; }
   int release() noexcept {
      const int fd = fd_;
      fd_ = -1;
      return fd;
   }
   void reset() noexcept;

 private:
   int fd_ = -1;
};

// "host:port", with brackets around an IPv6 address.
std::string ssh_endpoint_name(const std::string& host, uint16_t port);

// Connects to host:port before `deadline`. The socket is non-blocking, close-on-exec, with
// TCP_NODELAY (small interactive writes must not wait for an ACK). Throws SshConnectError
// (DPP_E_CONNECT or DPP_E_TIMEOUT), or sdk::Error(DPP_E_CANCELLED) on a stop request.
SshFd ssh_tcp_connect(const std::string& host, uint16_t port, std::chrono::steady_clock::time_point deadline,
                      const SshCanceller& canceller, const sdk::Host& log);

}  // namespace dpp::plugins

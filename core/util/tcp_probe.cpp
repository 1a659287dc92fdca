// SSH banner probe over a non-blocking TCP connect.
#include "util/tcp_probe.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace dpp::core {
namespace {

using Clock = std::chrono::steady_clock;

class Socket {
 public:
   explicit Socket(int fd) : fd_(fd) {}
   ~Socket() {
      if (fd_ >= 0) ::close(fd_);
   }
   Socket(const Socket&) = delete;
   Socket& operator=(const Socket&) = delete;
   int get() const { return fd_; }

 private:
   int fd_;
};

int remaining_ms(Clock::time_point deadline) {
   auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
   return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// Waits for a non-blocking connect() on `fd` to complete, then reads the first line.
ProbeResult await_banner(int fd, Clock::time_point deadline, const std::string& where, std::string& detail) {
   pollfd wait{fd, POLLOUT, 0};
   if (::poll(&wait, 1, remaining_ms(deadline)) <= 0) {
      detail = "connect to " + where + " timed out";
      return ProbeResult::unreachable;
   }
   int error = 0;
   socklen_t length = sizeof error;
   ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
   if (error != 0) {
      detail = "connect to " + where + ": " + std::strerror(error);
      return ProbeResult::unreachable;
   }
   std::string banner;
   char buffer[256];
   while (banner.find('\n') == std::string::npos && banner.size() < 255) {
      pollfd readable{fd, POLLIN, 0};
      if (::poll(&readable, 1, remaining_ms(deadline)) <= 0) break;
      ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      banner.append(buffer, static_cast<std::size_t>(n));
   }
   if (banner.rfind("SSH-2.0-", 0) == 0) {
      detail = "SSH answers at " + where;
      return ProbeResult::ssh_banner;
   }
   if (!banner.empty()) {
      detail = "something other than SSH answers at " + where;
      return ProbeResult::other_service;
   }
   detail = "connected to " + where + " but no SSH banner arrived";
   return ProbeResult::unreachable;
}

}  // namespace

ProbeResult probe_ssh_banner(const std::string& host, uint16_t port, int timeout_ms, std::string& detail) {
   const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
   addrinfo hints{};
   hints.ai_family = AF_UNSPEC;
   hints.ai_socktype = SOCK_STREAM;
   addrinfo* found = nullptr;
   const std::string service = std::to_string(port);
   if (int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
      detail = "cannot resolve " + host + ": " + gai_strerror(rc);
      return ProbeResult::unreachable;
   }
   ProbeResult result = ProbeResult::unreachable;
   detail = "nothing answered at " + host + ":" + service;
   for (addrinfo* address = found; address && result == ProbeResult::unreachable;
        address = address->ai_next) {
      Socket socket(::socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
      if (socket.get() < 0) continue;
      if (::connect(socket.get(), address->ai_addr, address->ai_addrlen) != 0 && errno != EINPROGRESS) {
         detail = std::string("connect to ") + host + ":" + service + ": " + std::strerror(errno);
         continue;
      }
      result = await_banner(socket.get(), deadline, host + ":" + service, detail);
   }
   ::freeaddrinfo(found);
   return result;
}

EarlySshProbe::EarlySshProbe(const std::string& host, uint16_t port) : host_(host), port_(port) {
   if (port == 0) return;
   sockaddr_storage address{};
   socklen_t length = 0;
   auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
   auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
   if (::inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
      v4->sin_family = AF_INET;
      v4->sin_port = htons(port);
      length = sizeof *v4;
   } else if (::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
      v6->sin6_family = AF_INET6;
      v6->sin6_port = htons(port);
      length = sizeof *v6;
   } else {
      return;  // a name: resolving it now could cost more than the probe saves
   }
   fd_ = ::socket(address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
   if (fd_ < 0) return;
   if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 && errno != EINPROGRESS)
      connect_error_ = errno;
}

EarlySshProbe::~EarlySshProbe() {
   if (fd_ >= 0) ::close(fd_);
}

bool EarlySshProbe::covers(const std::string& host, uint16_t port) const {
   return fd_ >= 0 && host == host_ && port == port_;
}

ProbeResult EarlySshProbe::finish(int timeout_ms, std::string& detail) {
   const std::string where = host_ + ":" + std::to_string(port_);
   if (fd_ < 0) {
      detail = "nothing answered at " + where;
      return ProbeResult::unreachable;
   }
   ProbeResult result;
   if (connect_error_ != 0) {
      detail = "connect to " + where + ": " + std::strerror(connect_error_);
      result = ProbeResult::unreachable;
   } else {
      result = await_banner(fd_, Clock::now() + std::chrono::milliseconds(timeout_ms), where, detail);
   }
   ::close(fd_);
   fd_ = -1;
   return result;
}

}  // namespace dpp::core

// SSH banner probe over a non-blocking TCP connect.
#include "util/tcp_probe.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace dpp::core {
namespace {

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

int remaining_ms(std::chrono::steady_clock::time_point deadline) {
   auto left =
       std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
   return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

}  // namespace

ProbeResult probe_ssh_banner(const std::string& host, uint16_t port, int timeout_ms, std::string& detail) {
   const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
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
      pollfd wait{socket.get(), POLLOUT, 0};
      if (::poll(&wait, 1, remaining_ms(deadline)) <= 0) {
         detail = "connect to " + host + ":" + service + " timed out";
         continue;
      }
      int error = 0;
      socklen_t length = sizeof error;
      ::getsockopt(socket.get(), SOL_SOCKET, SO_ERROR, &error, &length);
      if (error != 0) {
         detail = std::string("connect to ") + host + ":" + service + ": " + std::strerror(error);
         continue;
      }
      std::string banner;
      char buffer[256];
      while (banner.find('\n') == std::string::npos && banner.size() < 255) {
         pollfd readable{socket.get(), POLLIN, 0};
         if (::poll(&readable, 1, remaining_ms(deadline)) <= 0) break;
         ssize_t n = ::recv(socket.get(), buffer, sizeof buffer, 0);
         if (n <= 0) break;
         banner.append(buffer, static_cast<std::size_t>(n));
      }
      if (banner.rfind("SSH-2.0-", 0) == 0) {
         result = ProbeResult::ssh_banner;
         detail = "SSH answers at " + host + ":" + service;
      } else if (!banner.empty()) {
         result = ProbeResult::other_service;
         detail = "something other than SSH answers at " + host + ":" + service;
      } else {
         detail = "connected to " + host + ":" + service + " but no SSH banner arrived";
      }
   }
   ::freeaddrinfo(found);
   return result;
}

}  // namespace dpp::core

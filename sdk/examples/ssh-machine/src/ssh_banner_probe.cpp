// A TCP connect and a read of the SSH banner, bounded by a deadline.
#include "ssh_banner_probe.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace ssh_machine {
namespace {

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
   const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
   return left > 0 ? static_cast<int>(left) : 0;
}

// Closes the socket whatever way the probe ends.
struct Socket {
   int fd = -1;
   ~Socket() {
      if (fd >= 0) ::close(fd);
   }
};

}  // namespace

bool ssh_banner_answers(const std::string& host, uint16_t port, int timeout_ms, std::string& detail) {
   const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
   addrinfo hints{};
   hints.ai_socktype = SOCK_STREAM;
   addrinfo* found = nullptr;
   if (const int error = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
       error != 0) {
      detail = "cannot resolve " + host + ": " + ::gai_strerror(error);
      return false;
   }
   detail = "no address of " + host;
   bool answered = false;
   for (addrinfo* address = found; address && !answered && remaining_ms(deadline) > 0;
        address = address->ai_next) {
      Socket socket{::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)};
      if (socket.fd < 0) continue;
      if (::connect(socket.fd, address->ai_addr, address->ai_addrlen) != 0 && errno != EINPROGRESS) {
         detail = std::string("connection failed: ") + std::strerror(errno);
         continue;
      }
      pollfd writable{socket.fd, POLLOUT, 0};
      if (::poll(&writable, 1, remaining_ms(deadline)) <= 0) {
         detail = "connection timed out";
         continue;
      }
      int error = 0;
      socklen_t length = sizeof error;
      ::getsockopt(socket.fd, SOL_SOCKET, SO_ERROR, &error, &length);
      if (error != 0) {
         detail = std::string("connection failed: ") + std::strerror(error);
         continue;
      }
      std::string banner;
      char buffer[256];
      while (banner.find('\n') == std::string::npos && banner.size() < 255) {
         pollfd readable{socket.fd, POLLIN, 0};
         if (::poll(&readable, 1, remaining_ms(deadline)) <= 0) break;
         const ssize_t n = ::recv(socket.fd, buffer, sizeof buffer, 0);
         if (n <= 0) break;
         banner.append(buffer, static_cast<std::size_t>(n));
      }
      answered = banner.rfind("SSH-2.0-", 0) == 0;
      if (!answered) detail = banner.empty() ? "connected, but no SSH banner arrived" : "not an SSH server";
   }
   ::freeaddrinfo(found);
   return answered;
}

}  // namespace ssh_machine

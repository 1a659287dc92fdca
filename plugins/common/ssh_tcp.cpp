// TCP connect for the SSH transports.
#include "common/ssh_tcp.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>

namespace dpp::plugins {
namespace {

using Clock = std::chrono::steady_clock;

struct AddrInfoDeleter {
   void operator()(addrinfo* info) const { ::freeaddrinfo(info); }
};

bool retryable_errno(int error) {
   switch (error) {
      case ECONNREFUSED:
      case ECONNRESET:
      case ECONNABORTED:
      case EHOSTUNREACH:
      case ENETUNREACH:
      case ETIMEDOUT:
      case EPIPE: return true;
      default: return false;
   }
}

// One connect attempt to one address; the fd on success, else throws.
SshFd connect_one(const addrinfo& address, const std::string& name, Clock::time_point deadline,
                  const SshCanceller& canceller, const sdk::Host& host) {
   SshFd fd(
       ::socket(address.ai_family, address.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, address.ai_protocol));
   if (!fd) throw SshConnectError(DPP_E_CONNECT, std::string("socket(): ") + std::strerror(errno), false);
   int rc = ::connect(fd.get(), address.ai_addr, address.ai_addrlen);
   if (rc != 0 && errno != EINPROGRESS) {
      const int error = errno;
      throw SshConnectError(DPP_E_CONNECT, "cannot connect to " + name + ": " + std::strerror(error),
                            retryable_errno(error));
   }
   while (rc != 0) {
      if (ssh_stop_requested(canceller, host))
         throw sdk::Error(DPP_E_CANCELLED, "cancelled while connecting to " + name);
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0)
         throw SshConnectError(DPP_E_TIMEOUT, "no answer from " + name + " (TCP connect timed out)", true);
      pollfd fds[2] = {{fd.get(), POLLOUT, 0}, {canceller.fd(), POLLIN, 0}};
      const int ready = ::poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 250)));
      if (ready < 0 && errno != EINTR)
         throw SshConnectError(DPP_E_CONNECT, std::string("poll(): ") + std::strerror(errno), false);
      if (ready > 0 && fds[0].revents) {
         int error = 0;
         socklen_t length = sizeof error;
         ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &length);
         if (error != 0)
            throw SshConnectError(DPP_E_CONNECT, "cannot connect to " + name + ": " + std::strerror(error),
                                  retryable_errno(error));
         rc = 0;
      }
   }
   const int one = 1;
   ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
   return fd;
}

}  // namespace

void SshFd::reset() noexcept {
   if (fd_ >= 0) ::close(fd_);
   fd_ = -1;
}

std::string ssh_endpoint_name(const std::string& host, uint16_t port) {
   if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
   return host + ":" + std::to_string(port);
}

SshFd ssh_tcp_connect(const std::string& host, uint16_t port, Clock::time_point deadline,
                      const SshCanceller& canceller, const sdk::Host& log) {
   const std::string name = ssh_endpoint_name(host, port);
   addrinfo hints{};
   hints.ai_family = AF_UNSPEC;
   hints.ai_socktype = SOCK_STREAM;
   hints.ai_flags = AI_ADDRCONFIG;
   addrinfo* found = nullptr;
   const std::string service = std::to_string(port);
   const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
   if (rc != 0) {
      // A name that does not resolve will not start resolving while we wait: not retried.
      throw SshConnectError(DPP_E_CONNECT, "cannot resolve " + host + ": " + ::gai_strerror(rc),
                            rc == EAI_AGAIN);
   }
   std::unique_ptr<addrinfo, AddrInfoDeleter> addresses(found);
   std::optional<SshConnectError> last;
   for (const addrinfo* address = found; address; address = address->ai_next) {
      try {
         return connect_one(*address, name, deadline, canceller, log);
      } catch (const SshConnectError& e) {
         log.debug("connect to ", name, " failed: ", e.what());
         last = e;
         if (e.status() == DPP_E_TIMEOUT) break;
      }
   }
   if (last) throw *last;
   throw SshConnectError(DPP_E_CONNECT, "cannot resolve " + host + ": no address", false);
}

}  // namespace dpp::plugins

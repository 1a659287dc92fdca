// The SSH banner listener of the tests (ssh_banner.hpp).
#include "support/ssh_banner.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace dpp::test {

SshBanner::SshBanner() {
   listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
   if (listener_ < 0) throw std::runtime_error("socket() failed");
   sockaddr_in address{};
   address.sin_family = AF_INET;
   address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
   socklen_t length = sizeof address;
   if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
       ::listen(listener_, 16) != 0 ||
       ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ::close(listener_);
      throw std::runtime_error("cannot listen on 127.0.0.1");
   }
   port_ = ntohs(address.sin_port);
   thread_ = std::thread([this] {
      while (!stopping_.load()) {
         pollfd ready{listener_, POLLIN, 0};
         if (::poll(&ready, 1, 100) <= 0) continue;
         const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
         if (client < 0) continue;
         static const char kBanner[] = "SSH-2.0-OpenSSH_9.2p1 DppTestBanner\r\n";
         (void)!::send(client, kBanner, sizeof kBanner - 1, MSG_NOSIGNAL);
         ::close(client);
      }
   });
}

SshBanner::~SshBanner() {
   stopping_.store(true);
   thread_.join();
   ::close(listener_);
}

}  // namespace dpp::test

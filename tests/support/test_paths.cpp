// Paths of the build and machine facts for tests.
#include "support/test_paths.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace dpp::test {

std::string source_dir() {
   return DPP_TEST_SOURCE_DIR;
}
std::string binary_dir() {
   return DPP_TEST_BINARY_DIR;
}
std::string provider_path() {
   return DPP_TEST_PROVIDER;
}
std::string plugin_dir() {
   return DPP_TEST_PLUGIN_DIR;
}
std::string python() {
   return DPP_TEST_PYTHON;
}
std::string emulator_script() {
   return source_dir() + "/tests/emulator/dokploy-emulator";
}

bool running_as_root() {
   return ::geteuid() == 0;
}

int free_tcp_port(const std::string& address) {
   int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
   if (fd < 0) throw std::runtime_error("socket() failed");
   sockaddr_in addr{};
   addr.sin_family = AF_INET;
   addr.sin_port = 0;
   ::inet_pton(AF_INET, address.c_str(), &addr.sin_addr);
   if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd);
      throw std::runtime_error("bind() to a free port failed");
   }
   socklen_t length = sizeof addr;
   ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
   ::close(fd);
   return ntohs(addr.sin_port);
}

}  // namespace dpp::test

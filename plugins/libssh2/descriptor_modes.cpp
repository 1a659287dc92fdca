// Non-blocking mode for the host's descriptors during a run.
#include "descriptor_modes.hpp"

#include <fcntl.h>

#include <cerrno>
#include <cstring>
#include <dpp/cpp/plugin.hpp>
#include <string>

namespace dpp::plugins::libssh2 {

NonBlockingDescriptors::~NonBlockingDescriptors() {
   for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) ::fcntl(it->first, F_SETFL, it->second);
}

void NonBlockingDescriptors::add(int fd, const char* what) {
   for (const auto& entry : saved_)
      if (entry.first == fd) return;
   const int flags = ::fcntl(fd, F_GETFL);
   if (flags < 0)
      throw sdk::Error(DPP_E_IO, std::string("the ") + what + " descriptor " + std::to_string(fd) +
                                     " is not usable: " + std::strerror(errno));
   saved_.emplace_back(fd, flags);
   if (!(flags & O_NONBLOCK)) ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

}  // namespace dpp::plugins::libssh2

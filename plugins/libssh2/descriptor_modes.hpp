// Puts the host's descriptors into non-blocking mode for one run and restores their flags
// afterwards, as the transport ABI promises.
#pragma once

#include <utility>
#include <vector>

namespace dpp::plugins::libssh2 {

class NonBlockingDescriptors {
 public:
   NonBlockingDescriptors() = default;
   ~NonBlockingDescriptors();
   NonBlockingDescriptors(const NonBlockingDescriptors&) = delete;
   NonBlockingDescriptors& operator=(const NonBlockingDescriptors&) = delete;

   // Sets O_NONBLOCK on `fd` (once, also when added twice); throws sdk::Error(DPP_E_IO) for a
   // descriptor that is not open.
   void add(int fd, const char* what);

 private:
   std::vector<std::pair<int, int>> saved_;  // fd, original flags
};

}  // namespace dpp::plugins::libssh2

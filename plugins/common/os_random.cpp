// getrandom(2) with retries on EINTR and short reads.
#include "common/os_random.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstring>
#include <dpp/cpp/plugin.hpp>

namespace dpp::plugins {

std::string os_random_bytes(std::size_t count) {
   std::string bytes(count, '\0');
   std::size_t filled = 0;
   while (filled < count) {
      const ssize_t n = ::getrandom(bytes.data() + filled, count - filled, 0);
      if (n < 0) {
         if (errno == EINTR) continue;
         throw sdk::Error(DPP_E_IO,
                          std::string("the system's random generator failed: ") + std::strerror(errno));
      }
      filled += static_cast<std::size_t>(n);
   }
   return bytes;
}

}  // namespace dpp::plugins

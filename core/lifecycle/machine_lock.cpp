// flock-based machine lock.
#include "lifecycle/machine_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "errors.hpp"
#include "loader/host_services.hpp"
#include "logging/logging.hpp"
#include "util/files.hpp"

namespace dpp::core {

MachineLock::MachineLock(const std::string& machine_folder) {
   ensure_private_folder(machine_folder);
   const std::string path = machine_folder + "/.dokploy-provider.lock";
   fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
   if (fd_ < 0)
      throw ProviderError(kExitFailure, "cannot open the lock file " + path + ": " + std::strerror(errno));
   bool told = false;
   while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK && errno != EINTR)
         throw ProviderError(kExitFailure, "cannot lock " + path + ": " + std::strerror(errno));
      if (HostServices::cancel_requested()) throw CancelledError();
      if (!told) {
         log().info("another dokploy-provider is working on this machine; waiting for it");
         told = true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
   }
}

MachineLock::~MachineLock() {
   if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace dpp::core

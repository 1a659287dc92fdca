// An exclusive lock on a machine (flock on a file in MACHINE_FOLDER), so that two mutating
// verbs for the same machine never interleave (a retried `create` while one still runs).
#pragma once

#include <string>

namespace dpp::core {

class MachineLock {
 public:
   // Waits for the lock, polling the cancellation flag; throws CancelledError or ProviderError.
   explicit MachineLock(const std::string& machine_folder);
   ~MachineLock();
   MachineLock(const MachineLock&) = delete;
   MachineLock& operator=(const MachineLock&) = delete;

 private:
   int fd_ = -1;
};

}  // namespace dpp::core

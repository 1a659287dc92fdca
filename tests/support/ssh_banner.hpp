// A TCP listener on 127.0.0.1 that greets every connection with an SSH banner and hangs up: where
// a test needs "something answers SSH here" without a real sshd (the host's status probe, a
// backend's reachability check). Stopped (thread joined, socket closed) when it goes out of scope.
#pragma once

#include <atomic>
#include <thread>

namespace dpp::test {

class SshBanner {
 public:
   SshBanner();
   ~SshBanner();
   SshBanner(const SshBanner&) = delete;
   SshBanner& operator=(const SshBanner&) = delete;
   int port() const { return port_; }

 private:
   int listener_ = -1;
   int port_ = 0;
   std::atomic<bool> stopping_{false};
   std::thread thread_;
};

}  // namespace dpp::test

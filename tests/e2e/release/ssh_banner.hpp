// A TCP listener on 127.0.0.1 that greets each connection with an SSH banner and hangs up: the
// "workspace's sshd" the host's status probe looks for, so `status` can answer Running without
// a real workspace. Stopped (thread joined, socket closed) when it goes out of scope.
#pragma once

#include <atomic>
#include <thread>

namespace dpp::test {

class SshBannerListener {
 public:
   SshBannerListener();
   ~SshBannerListener();
   SshBannerListener(const SshBannerListener&) = delete;
   SshBannerListener& operator=(const SshBannerListener&) = delete;
   int port() const { return port_; }

 private:
   int listener_ = -1;
   int port_ = 0;
   std::atomic<bool> stopping_{false};
   std::thread thread_;
};

}  // namespace dpp::test

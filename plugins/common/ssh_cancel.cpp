// Self-pipe cancellation for the SSH transports.
#include "common/ssh_cancel.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dpp/cpp/plugin.hpp>

namespace dpp::plugins {

SshCanceller::SshCanceller() {
   if (::pipe2(pipe_, O_CLOEXEC | O_NONBLOCK) != 0)
      throw sdk::Error(DPP_E_IO, std::string("cannot create the cancellation pipe: ") + std::strerror(errno));
}

SshCanceller::~SshCanceller() {
   for (int fd : pipe_)
      if (fd >= 0) ::close(fd);
}

void SshCanceller::cancel() noexcept {
   cancelled_.store(true, std::memory_order_relaxed);
   const char byte = 1;
   // A full pipe already wakes every poller: ignoring EAGAIN is correct.
   const int saved = errno;
   (void)!::write(pipe_[1], &byte, 1);
   errno = saved;
}

void SshCanceller::reset() noexcept {
   cancelled_.store(false, std::memory_order_relaxed);
   char buffer[64];
   while (::read(pipe_[0], buffer, sizeof buffer) > 0) {
   }
}

bool ssh_stop_requested(const SshCanceller& canceller, const sdk::Host& host) {
   return canceller.cancelled() || host.cancelled();
}

bool ssh_sleep_until(std::chrono::steady_clock::time_point until, const SshCanceller& canceller,
                     const sdk::Host& host) {
   using namespace std::chrono;
   while (!ssh_stop_requested(canceller, host)) {
      const auto left = duration_cast<milliseconds>(until - steady_clock::now());
      if (left.count() <= 0) return true;
      pollfd wake{canceller.fd(), POLLIN, 0};
      ::poll(&wake, 1, static_cast<int>(std::min<long long>(left.count(), 250)));
   }
   return false;
}

sdk::RetryHooks ssh_retry_hooks(const SshCanceller& canceller, const sdk::Host& host) {
   return {[&host](const std::string& line) { host.debug(line); },
           [&canceller, &host](std::chrono::steady_clock::time_point until) {
              return ssh_sleep_until(until, canceller, host);
           }};
}

}  // namespace dpp::plugins

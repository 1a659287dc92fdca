// Cancellation of a running SSH session that a signal handler may trigger: an atomic flag plus a
// self-pipe, so poll loops wake up at once without polling a flag.
#pragma once

#include <atomic>
#include <chrono>
#include <dpp/cpp/startup_retry.hpp>

namespace dpp::sdk {
class Host;
}

namespace dpp::plugins {

class SshCanceller {
 public:
   SshCanceller();
   ~SshCanceller();
   SshCanceller(const SshCanceller&) = delete;
   SshCanceller& operator=(const SshCanceller&) = delete;

   // Raises the flag and makes fd() readable. [any thread, async-signal-safe]
   void cancel() noexcept;
   // Clears an earlier cancellation, so that a new run is not affected by it. [the run's thread]
   void reset() noexcept;
   bool cancelled() const noexcept { return cancelled_.load(std::memory_order_relaxed); }
   // Readable once cancel() was called; put it in every poll set.
   int fd() const noexcept { return pipe_[0]; }

 private:
   std::atomic<bool> cancelled_{false};
   int pipe_[2] = {-1, -1};
};

// Whether to stop: our own cancel() or the host's SIGINT/SIGTERM flag.
bool ssh_stop_requested(const SshCanceller& canceller, const sdk::Host& host);

// Waits until `until`; false when a stop was requested meanwhile (checked at least every 250 ms,
// the host's polling rule).
bool ssh_sleep_until(std::chrono::steady_clock::time_point until, const SshCanceller& canceller,
                     const sdk::Host& host);

// The hooks with which a transport waits for a starting workspace (sdk::retry_while_starting):
// debug lines to the host's log, sleeps that end early on a stop request. Both referenced
// objects must outlive the hooks.
sdk::RetryHooks ssh_retry_hooks(const SshCanceller& canceller, const sdk::Host& host);

}  // namespace dpp::plugins

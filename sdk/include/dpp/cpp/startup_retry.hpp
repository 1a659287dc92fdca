// Connecting to a server that may still be starting: the back-off, the bound and the messages
// that the host's wait_for_endpoint service and the SSH transports share, so that a transport
// written with this helper waits for a workspace the same way.
#ifndef DPP_CPP_STARTUP_RETRY_HPP
#define DPP_CPP_STARTUP_RETRY_HPP

#include <dpp/status.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <thread>

namespace dpp::sdk {

// How one attempt failed. `retryable`: the server may simply not be up yet (connection refused
// or reset, closed before its SSH banner), so another attempt may succeed.
struct AttemptFailure {
   dpp_status status = DPP_E_CONNECT;
   std::string message;
   bool retryable = false;
};

// What the loop asks of its caller.
struct RetryHooks {
   // Receives the loop's debug lines (one per retry); may be empty.
   std::function<void(const std::string& line)> debug;
   // Waits until the given time; false when a stop was requested meanwhile. Polls at least
   // every 250 ms (the host's cancellation rule). Empty: a plain sleep.
   std::function<bool(std::chrono::steady_clock::time_point until)> sleep_until;
};

namespace detail {

inline std::string seconds_text(std::chrono::steady_clock::duration duration) {
   char text[32];
   std::snprintf(text, sizeof text, "%.3g", std::chrono::duration<double>(duration).count());
   return text;
}

}  // namespace detail

// Runs `attempt` until it succeeds (returns nullopt), fails in a way that is not retryable, or
// `deadline` leaves no room for another try; it waits 100 ms before the second attempt, doubling
// up to 1 s. Returns nullopt on success, else the failure to report: one that is not retryable
// as it came; the last retryable one with "(tried N times in S s; is the workspace running?)"
// appended when it was tried more than once; DPP_E_CANCELLED when a stop was requested while
// waiting. Exceptions of `attempt` pass through.
inline std::optional<AttemptFailure> retry_while_starting(
    const std::string& endpoint, std::chrono::steady_clock::time_point deadline,
    const std::function<std::optional<AttemptFailure>()>& attempt, const RetryHooks& hooks) {
   using Clock = std::chrono::steady_clock;
   const auto debug = [&](const std::string& line) {
      if (hooks.debug) hooks.debug(line);
   };
   const auto started = Clock::now();
   auto backoff = std::chrono::milliseconds(100);
   for (int attempts = 1;; ++attempts) {
      std::optional<AttemptFailure> failure = attempt();
      const auto now = Clock::now();
      if (!failure) {
         if (attempts > 1)
            debug("connected to " + endpoint + " after " + std::to_string(attempts) + " attempts in " +
                  detail::seconds_text(now - started) + " s");
         return std::nullopt;
      }
      if (!failure->retryable) return failure;
      if (now + backoff >= deadline) {
         if (attempts > 1)
            failure->message += " (tried " + std::to_string(attempts) + " times in " +
                                detail::seconds_text(now - started) + " s; is the workspace running?)";
         return failure;
      }
      debug("no SSH server at " + endpoint + " yet (" + failure->message + "); retrying in " +
            std::to_string(backoff.count()) + " ms");
      if (!hooks.sleep_until)
         std::this_thread::sleep_until(now + backoff);
      else if (!hooks.sleep_until(now + backoff))
         return AttemptFailure{DPP_E_CANCELLED, "cancelled while connecting to " + endpoint, false};
      backoff = std::min(backoff * 2, std::chrono::milliseconds(1000));
   }
}

}  // namespace dpp::sdk

#endif  // DPP_CPP_STARTUP_RETRY_HPP

// When to try a Dokploy request again: exponential backoff with full jitter, Retry-After, a
// deadline, and sleeps that end early when the user cancels.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include <dpp/cpp/plugin.hpp>

namespace dpp::dokploy {

using Clock = std::chrono::steady_clock;

class Backoff {
 public:
   Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap);
   // The pause before retry number `attempt` (1, 2, …): uniform in [base/2, min(cap, base·2^(attempt-1))].
   std::chrono::milliseconds delay(uint32_t attempt);

 private:
   std::chrono::milliseconds base_;
   std::chrono::milliseconds cap_;
   std::mt19937_64 random_;
};

// Retry-After as seconds ("3") or an HTTP date; nullopt when unusable. Capped at one minute.
std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value);

// Sleeps `duration` in slices, returning false as soon as the host reports a cancellation.
bool sleep_unless_cancelled(const dpp::sdk::Host& host, std::chrono::milliseconds duration);

}  // namespace dpp::dokploy

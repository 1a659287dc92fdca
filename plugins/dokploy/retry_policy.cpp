// Backoff delays, Retry-After parsing and cancellable sleeps.
#include "retry_policy.hpp"

#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <cctype>
#include <thread>

namespace dpp::dokploy {

Backoff::Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap)
    : base_(base), cap_(cap), random_(std::random_device{}()) {}

std::chrono::milliseconds Backoff::delay(uint32_t attempt) {
   const uint32_t shift = std::min<uint32_t>(attempt > 0 ? attempt - 1 : 0, 20);
   const auto ceiling = std::min<std::chrono::milliseconds>(cap_, base_ * (int64_t{1} << shift));
   const auto floor = std::min(ceiling, base_ / 2);
   std::uniform_int_distribution<int64_t> pick(floor.count(), ceiling.count());
   return std::chrono::milliseconds(pick(random_));
}

std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value) {
   constexpr std::chrono::milliseconds kCap(60'000);
   std::string text = value;
   text.erase(std::remove_if(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); }),
              text.end());
   if (text.empty()) return std::nullopt;
   if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
      if (text.size() > 6) return kCap;
      return std::min(kCap, std::chrono::milliseconds(std::stoll(text) * 1000));
   }
   try {
      int zone = 0;
      const Poco::DateTime when = Poco::DateTimeParser::parse(value, zone);
      const Poco::Timestamp::TimeDiff micros = when.timestamp() - Poco::Timestamp();
      if (micros <= 0) return std::chrono::milliseconds(0);
      return std::min(kCap, std::chrono::milliseconds(micros / 1000));
   } catch (const Poco::Exception&) {
      return std::nullopt;
   }
}

bool sleep_unless_cancelled(const dpp::sdk::Host& host, std::chrono::milliseconds duration) {
   const auto end = Clock::now() + duration;
   while (true) {
      if (host.cancelled()) return false;
      const auto left = end - Clock::now();
      if (left <= Clock::duration::zero()) return true;
      // The host asks for a look at the flag at least every 250 ms.
      std::this_thread::sleep_for(std::min<Clock::duration>(left, std::chrono::milliseconds(100)));
   }
}

}  // namespace dpp::dokploy

// Service names that carry the machine id and the SSH port.
#include "service_naming.hpp"

#include <algorithm>
#include <charconv>

namespace dpp::dokploy {
namespace {

constexpr std::string_view kPrefix = "devpod-";
constexpr std::string_view kPortOpen = " (ssh ";

}  // namespace

bool valid_machine_id(std::string_view id) {
   return !id.empty() && id.size() <= 48 && std::all_of(id.begin(), id.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
   });
}

std::string service_name(std::string_view machine_id, uint16_t port) {
   return std::string(kPrefix) + std::string(machine_id) + std::string(kPortOpen) + std::to_string(port) +
          ")";
}

std::optional<ParsedName> parse_service_name(std::string_view name) {
   if (!name.starts_with(kPrefix) || !name.ends_with(")")) return std::nullopt;
   const auto open = name.rfind(kPortOpen);
   if (open == std::string_view::npos || open < kPrefix.size()) return std::nullopt;
   ParsedName parsed;
   parsed.machine_id = std::string(name.substr(kPrefix.size(), open - kPrefix.size()));
   if (!valid_machine_id(parsed.machine_id)) return std::nullopt;
   const std::string_view digits =
       name.substr(open + kPortOpen.size(), name.size() - 1 - open - kPortOpen.size());
   unsigned value = 0;
   auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
   if (error != std::errc() || end != digits.data() + digits.size() || value == 0 || value > 65535 ||
       digits.size() > 5 || digits.front() == '0')
      return std::nullopt;
   parsed.port = static_cast<uint16_t>(value);
   return parsed;
}

std::string requested_app_name(std::string_view machine_id) {
   return std::string(kPrefix) + std::string(machine_id);
}

std::string docker_volume_name(std::string_view app_name, std::string_view volume) {
   return std::string(app_name) + "_" + std::string(volume);
}

}  // namespace dpp::dokploy

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

std::optional<std::string> volume_machine_id(std::string_view volume_name) {
   constexpr std::size_t kSuffix = 6;  // Dokploy's "-<6 characters>" after the requested appName
   const auto underscore = volume_name.find('_');
   if (underscore == std::string_view::npos || underscore + 1 == volume_name.size()) return std::nullopt;
   const std::string_view app_name = volume_name.substr(0, underscore);
   if (!app_name.starts_with(kPrefix) || app_name.size() < kPrefix.size() + kSuffix + 2 ||
       app_name[app_name.size() - kSuffix - 1] != '-')
      return std::nullopt;
   const std::string_view suffix = app_name.substr(app_name.size() - kSuffix);
   if (!std::all_of(suffix.begin(), suffix.end(),
                    [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }))
      return std::nullopt;
   std::string machine_id(app_name.substr(kPrefix.size(), app_name.size() - kPrefix.size() - kSuffix - 1));
   if (!valid_machine_id(machine_id)) return std::nullopt;
   return machine_id;
}

}  // namespace dpp::dokploy

// Parses Dokploy version strings and derives the API features of a version.
#include "dokploy_version.hpp"

#include <cctype>

namespace dpp::dokploy {
namespace {

// Reads a decimal number at `at`; false when there is none or it is absurdly long.
bool read_number(const std::string& text, std::size_t& at, int& out) {
   std::size_t start = at;
   long value = 0;
   while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) {
      value = value * 10 + (text[at] - '0');
      if (value > 1'000'000) return false;
      ++at;
   }
   out = static_cast<int>(value);
   return at > start;
}

}  // namespace

std::string Version::text() const {
   return "v" + std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

std::optional<Version> parse_version(const std::string& raw) {
   std::string text = raw;
   while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
   std::size_t at = 0;
   while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
   if (at < text.size() && (text[at] == 'v' || text[at] == 'V')) ++at;
   Version v;
   if (!read_number(text, at, v.major) || at >= text.size() || text[at] != '.') return std::nullopt;
   ++at;
   if (!read_number(text, at, v.minor)) return std::nullopt;
   if (at < text.size() && text[at] == '.') {
      ++at;
      if (!read_number(text, at, v.patch)) return std::nullopt;
   }
   // A pre-release or build suffix ("-canary.3", "+sha") does not change the API level.
   if (at < text.size() && text[at] != '-' && text[at] != '+') return std::nullopt;
   return v;
}

Features Features::of(const Version& version) {
   Features f;
   f.version = version;
   f.environments = version >= Version{0, 25, 0};
   f.command_args = version >= Version{0, 26, 0};
   f.env_build_secrets = version >= Version{0, 25, 6};
   f.env_create_file = version >= Version{0, 26, 1};
   f.create_source_type = version >= Version{0, 30, 0};
   f.domain_forward_auth = version >= Version{0, 29, 14};
   return f;
}

}  // namespace dpp::dokploy

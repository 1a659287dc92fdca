// Checks option values by type and puts them in the canonical form plugins receive.
#include "options/option_spec.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

#include "util/text.hpp"

namespace dpp::core {
namespace {

// Longest value accepted for any option: real values are far shorter, and a huge one is a
// mistake (or an attack) we refuse before it reaches a plugin or a compose file.
constexpr std::size_t kMaxValueLength = 4096;

bool all_digits(std::string_view text) {
   if (text.empty()) return false;
   for (char c : text)
      if (c < '0' || c > '9') return false;
   return true;
}

// Parses "123" or "1.5" into a double; false on anything else.
bool parse_decimal(std::string_view text, double& out) {
   if (text.empty()) return false;
   int dots = 0;
   for (char c : text) {
      if (c == '.')
         ++dots;
      else if (c < '0' || c > '9')
         return false;
   }
   if (dots > 1 || text.front() == '.' || text.back() == '.') return false;
   const std::string copy(text);
   out = std::strtod(copy.c_str(), nullptr);
   return std::isfinite(out);
}

ParsedValue ok(std::string value) {
   return {std::move(value), {}};
}
ParsedValue bad(std::string problem) {
   return {std::nullopt, std::move(problem)};
}

ParsedValue parse_boolean(std::string_view raw) {
   const std::string value = to_lower(raw);
   if (value == "true" || value == "1" || value == "yes" || value == "on") return ok("true");
   if (value == "false" || value == "0" || value == "no" || value == "off") return ok("false");
   return bad("is not a boolean");
}

ParsedValue parse_integer(std::string_view raw) {
   std::string_view digits = raw;
   if (!digits.empty() && digits.front() == '-') digits.remove_prefix(1);
   if (!all_digits(digits) || digits.size() > 18) return bad("is not a whole number");
   return ok(std::string(raw));
}

ParsedValue parse_number(std::string_view raw) {
   double value;
   if (!parse_decimal(raw, value)) return bad("is not a number");
   if (value <= 0) return bad("must be greater than 0");
   return ok(std::string(raw));
}

// Go-style durations ("1h30m", "90s", "500ms") or bare seconds.
ParsedValue parse_duration(std::string_view raw) {
   const std::string text = to_lower(raw);
   const std::string_view expected = "is not a duration";
   if (all_digits(text)) {
      if (text.size() > 9) return bad("is too long a duration (at most 30 days)");
      return ok(std::to_string(std::stoull(text) * 1000));
   }
   double total_ms = 0;
   std::size_t i = 0;
   while (i < text.size()) {
      std::size_t start = i;
      while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) ++i;
      double amount;
      if (!parse_decimal(std::string_view(text).substr(start, i - start), amount))
         return bad(std::string(expected));
      std::size_t unit_start = i;
      while (i < text.size() && text[i] >= 'a' && text[i] <= 'z') ++i;
      const std::string_view unit = std::string_view(text).substr(unit_start, i - unit_start);
      double factor;
      if (unit == "ms")
         factor = 1;
      else if (unit == "s")
         factor = 1000;
      else if (unit == "m")
         factor = 60'000;
      else if (unit == "h")
         factor = 3'600'000;
      else if (unit == "d")
         factor = 86'400'000;
      else
         return bad(std::string(expected));
      total_ms += amount * factor;
   }
   if (total_ms > 30.0 * 86'400'000) return bad("is too long a duration (at most 30 days)");
   return ok(std::to_string(static_cast<uint64_t>(std::llround(total_ms))));
}

// Docker-style sizes: "512m", "4g", "4GiB", "1.5g", "1024k", bare bytes; units are powers of 1024.
ParsedValue parse_size(std::string_view raw) {
   std::string text = to_lower(raw);
   const std::string_view expected = "is not a size";
   std::size_t i = 0;
   while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) ++i;
   double amount;
   if (!parse_decimal(std::string_view(text).substr(0, i), amount)) return bad(std::string(expected));
   std::string unit = text.substr(i);
   if (!unit.empty() && unit.back() == 'b') unit.pop_back();  // "gb", "gib", "b"
   if (!unit.empty() && unit.back() == 'i') unit.pop_back();  // "gi"
   double factor;
   if (unit.empty())
      factor = 1;
   else if (unit == "k")
      factor = 1024.0;
   else if (unit == "m")
      factor = 1024.0 * 1024;
   else if (unit == "g")
      factor = 1024.0 * 1024 * 1024;
   else if (unit == "t")
      factor = 1024.0 * 1024 * 1024 * 1024;
   else
      return bad(std::string(expected));
   const double bytes = amount * factor;
   if (bytes < 1 || bytes > 1024.0 * 1024 * 1024 * 1024 * 1024) return bad("is not a sensible size");
   return ok(std::to_string(static_cast<uint64_t>(std::llround(bytes))));
}

ParsedValue parse_url(std::string_view raw) {
   std::string_view text = raw;
   std::string_view rest;
   if (text.starts_with("http://"))
      rest = text.substr(7);
   else if (text.starts_with("https://"))
      rest = text.substr(8);
   else if (text.find("://") != std::string_view::npos)
      return bad("must start with http:// or https://");
   else
      return bad("has no scheme (http:// or https://)");
   const auto authority_end = rest.find_first_of("/?#");
   const std::string_view authority = rest.substr(0, authority_end);
   if (authority.find('@') != std::string_view::npos)
      return bad(
          "must not contain a user name or password; give credentials in their own secret option "
          "(with Dokploy: DOKPLOY_API_TOKEN)");
   if (authority_end != std::string_view::npos && rest[authority_end] != '/')
      return bad("must not have a query (?) or fragment (#)");
   if (rest.find_first_of("?#") != std::string_view::npos)
      return bad("must not have a query (?) or fragment (#)");
   if (has_control_characters(text) || text.find(' ') != std::string_view::npos)
      return bad("must not contain spaces or control characters");
   std::string_view host = authority;
   if (host.starts_with("[")) {
      const auto close = host.find(']');
      if (close == std::string_view::npos) return bad("has an unterminated [IPv6] host");
      std::string_view after = host.substr(close + 1);
      host = host.substr(1, close - 1);
      if (!after.empty()) {
         // At most 5 digits, as below: stoi would throw on a longer run of digits.
         if (after.front() != ':' || !all_digits(after.substr(1)) || after.size() > 6)
            return bad("has a bad port");
         int port = std::stoi(std::string(after.substr(1)));
         if (port < 1 || port > 65535) return bad("has a port outside 1-65535");
      }
   } else if (const auto colon = host.rfind(':'); colon != std::string_view::npos) {
      std::string_view port_text = host.substr(colon + 1);
      host = host.substr(0, colon);
      if (!all_digits(port_text) || port_text.size() > 5) return bad("has a bad port");
      int port = std::stoi(std::string(port_text));
      if (port < 1 || port > 65535) return bad("has a port outside 1-65535");
   }
   if (host.empty()) return bad("has no host name");
   std::string canonical(text);
   while (canonical.size() > 1 && canonical.back() == '/') canonical.pop_back();
   if (canonical.ends_with("/api")) return bad("must be the server's address without /api");
   return ok(canonical);
}

ParsedValue parse_port(std::string_view raw) {
   std::string_view digits = raw;
   while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
   if (!all_digits(digits)) return bad("is not a port number");
   if (digits.size() > 5) return bad("is outside 1-65535");
   const int port = std::stoi(std::string(digits));
   if (port < 1 || port > 65535) return bad("is outside 1-65535");
   return ok(std::to_string(port));
}

ParsedValue parse_enum(const OptionSpec& spec, std::string_view raw) {
   const std::string lowered = to_lower(raw);
   for (const auto& allowed : spec.enum_values)
      if (to_lower(allowed) == lowered) return ok(allowed);
   return bad("is not one of the allowed values");
}

bool is_hostname_label(std::string_view label) {
   if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
   for (char c : label)
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
         return false;
   return true;
}

ParsedValue parse_host(std::string_view raw) {
   if (raw.find("://") != std::string_view::npos) return bad("must be a host name, not a URL");
   if (raw.find(':') != std::string_view::npos) {
      // IPv6 addresses have colons; "host:port" has exactly one and digits after it.
      const auto colon = raw.rfind(':');
      if (raw.find(':') == colon && all_digits(raw.substr(colon + 1)))
         return bad("must be a host name or address without a port");
      for (char c : raw)
         if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' ||
               c == '.'))
            return bad("is not a host name or IP address");
      return ok(std::string(raw));
   }
   if (raw.size() > 253) return bad("is too long for a host name");
   for (const auto& label : split(raw, '.'))
      if (!is_hostname_label(label)) return bad("is not a host name or IP address");
   return ok(std::string(raw));
}

}  // namespace

OptionSpec OptionSpec::from_desc(const dpp_option_desc& desc, const std::string& owner) {
   OptionSpec spec;
   spec.name = desc.name ? desc.name : "";
   spec.description = desc.description ? desc.description : "";
   if (desc.default_value) spec.default_value = desc.default_value;
   spec.type = desc.type;
   spec.secret = (desc.flags & DPP_OPTION_SECRET) != 0;
   spec.required = (desc.flags & DPP_OPTION_REQUIRED) != 0;
   if (desc.enum_values)
      for (auto& value : split(desc.enum_values, '|'))
         if (!value.empty()) spec.enum_values.push_back(value);
   if (desc.group && *desc.group) spec.group = desc.group;
   spec.owner = owner;
   return spec;
}

ParsedValue parse_option_value(const OptionSpec& spec, std::string_view raw) {
   if (raw.size() > kMaxValueLength)
      return bad("is too long (" + std::to_string(raw.size()) + " bytes; at most " +
                 std::to_string(kMaxValueLength) + ")");
   if (!is_valid_utf8(raw)) return bad("is not valid UTF-8 text");
   if (has_control_characters(raw)) return bad("contains control characters (such as a newline)");
   const std::string_view value =
       spec.type == DPP_OPTION_STRING || spec.type == DPP_OPTION_PATH ? raw : trim(raw);
   switch (spec.type) {
      case DPP_OPTION_BOOLEAN: return parse_boolean(value);
      case DPP_OPTION_INTEGER: return parse_integer(value);
      case DPP_OPTION_NUMBER: return parse_number(value);
      case DPP_OPTION_DURATION: return parse_duration(value);
      case DPP_OPTION_SIZE: return parse_size(value);
      case DPP_OPTION_URL: return parse_url(value);
      case DPP_OPTION_PORT: return parse_port(value);
      case DPP_OPTION_ENUM: return parse_enum(spec, value);
      case DPP_OPTION_HOST: return parse_host(value);
      case DPP_OPTION_PATH:
      case DPP_OPTION_STRING:
      default: return ok(std::string(value));
   }
}

std::string option_type_name(int32_t type) {
   switch (type) {
      case DPP_OPTION_BOOLEAN: return "boolean";
      case DPP_OPTION_INTEGER: return "integer";
      case DPP_OPTION_NUMBER: return "number";
      case DPP_OPTION_DURATION: return "duration";
      case DPP_OPTION_SIZE: return "size";
      case DPP_OPTION_URL: return "url";
      case DPP_OPTION_PORT: return "port";
      case DPP_OPTION_ENUM: return "enum";
      case DPP_OPTION_PATH: return "path";
      case DPP_OPTION_HOST: return "host";
      default: return "string";
   }
}

std::string option_type_expectation(const OptionSpec& spec) {
   switch (spec.type) {
      case DPP_OPTION_BOOLEAN: return "true or false";
      case DPP_OPTION_INTEGER: return "a whole number";
      case DPP_OPTION_NUMBER: return "a number such as 2 or 1.5";
      case DPP_OPTION_DURATION: return "a duration such as 90s, 10m or 1h30m";
      case DPP_OPTION_SIZE: return "a size such as 512m, 4g or 4GiB";
      case DPP_OPTION_URL: return "an http:// or https:// URL such as https://server.example.com";
      case DPP_OPTION_PORT: return "a TCP port from 1 to 65535";
      case DPP_OPTION_ENUM: {
         std::string values;
         for (const auto& value : spec.enum_values) values += (values.empty() ? "" : ", ") + value;
         return "one of: " + values;
      }
      case DPP_OPTION_HOST: return "a host name or IP address without a port";
      case DPP_OPTION_PATH: return "a file path";
      default: return "text";
   }
}

}  // namespace dpp::core

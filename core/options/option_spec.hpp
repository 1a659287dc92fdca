// One option the provider understands: declared by the host itself or by a plugin through the
// ABI (dpp_option_desc), and how a raw value of it is checked and put in canonical form.
#pragma once

#include <dpp/option.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dpp::core {

struct OptionSpec {
   std::string name;
   std::string description;
   std::optional<std::string> default_value;
   int32_t type = DPP_OPTION_STRING;
   bool secret = false;
   bool required = false;
   std::vector<std::string> enum_values;
   std::string group = "advanced";
   std::string owner;  // "host" or the plugin id that declared it

   static OptionSpec from_desc(const dpp_option_desc& desc, const std::string& owner);
};

// The canonical value, or the problem with the raw one ("is not a size such as 512m or 4g").
struct ParsedValue {
   std::optional<std::string> value;
   std::string problem;
};

// Checks `raw` against `spec.type` and returns its canonical form (see dpp/option.h).
// The problem text never repeats a value: the caller decides whether it may be shown.
ParsedValue parse_option_value(const OptionSpec& spec, std::string_view raw);

// The type's name for people ("duration", "port").
std::string option_type_name(int32_t type);

// What a value of the type looks like, for error messages ("a duration such as 90s or 10m").
std::string option_type_expectation(const OptionSpec& spec);

}  // namespace dpp::core

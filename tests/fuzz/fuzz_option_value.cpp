// Fuzzes option values (core/options): every type's parser, and the host's checks that go
// beyond types, with the value set for every host option at once. Properties: nothing throws;
// an accepted value's canonical form is UTF-8 without control characters, at most 4096 bytes,
// and (for types whose canonical form is also an input form) parses again to itself.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "fuzz_support.hpp"
#include "options/configuration.hpp"
#include "options/environment.hpp"
#include "options/host_options.hpp"
#include "options/option_spec.hpp"
#include "util/text.hpp"

namespace {

using dpp::core::OptionSpec;
using dpp::fuzz::shown;

OptionSpec spec_of(int32_t type) {
   OptionSpec spec;
   spec.name = "FUZZ_OPTION";
   spec.type = type;
   spec.owner = "fuzz";
   if (type == DPP_OPTION_ENUM) spec.enum_values = {"compose", "application", "Ingress"};
   return spec;
}

// Types whose canonical value is written in their own input syntax.
bool canonical_is_input(int32_t type) {
   return type != DPP_OPTION_DURATION && type != DPP_OPTION_SIZE;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
   if (size == 0) return -1;
   const auto type = static_cast<int32_t>(data[0] % 12);  // 11: a type this host does not know
   const std::string raw(reinterpret_cast<const char*>(data + 1), size - 1);
   const OptionSpec spec = spec_of(type);

   const dpp::core::ParsedValue parsed = dpp::core::parse_option_value(spec, raw);
   if (parsed.value) {
      const std::string& value = *parsed.value;
      FUZZ_CHECK(dpp::core::is_valid_utf8(value), "canonical value is not UTF-8: " + shown(value));
      FUZZ_CHECK(!dpp::core::has_control_characters(value), "canonical value has a control byte: " + shown(value));
      FUZZ_CHECK(value.size() <= 4096, "canonical value of " + std::to_string(value.size()) + " bytes");
      if (canonical_is_input(type)) {
         const dpp::core::ParsedValue again = dpp::core::parse_option_value(spec, value);
         FUZZ_CHECK(again.value && *again.value == value,
                    "type " + std::to_string(type) + ": " + shown(raw) + " -> " + shown(value) + " -> " +
                        (again.value ? shown(*again.value) : "refused: " + again.problem));
      }
   } else {
      FUZZ_CHECK(!parsed.problem.empty(), "refused without a reason: " + shown(raw));
   }

   // The same value in every host option, resolved and checked together as a run would.
   std::map<std::string, std::string> values;
   for (const auto& host_spec : dpp::core::host_option_specs()) values[host_spec.name] = raw;
   std::vector<OptionSpec> specs = dpp::core::host_option_specs();
   specs.push_back(spec);
   values[spec.name] = raw;
   std::vector<std::string> problems;
   const dpp::core::Configuration config =
       dpp::core::resolve_configuration(specs, dpp::core::Environment::from_map(values), nullptr, problems);
   (void)dpp::core::check_host_option_values(config);
   for (const auto& problem : problems)
      FUZZ_CHECK(!dpp::core::has_control_characters(problem) && dpp::core::is_valid_utf8(problem),
                 "a problem message carries raw bytes: " + shown(problem));
   return 0;
}

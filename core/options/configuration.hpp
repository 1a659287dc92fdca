// The provider's one typed, validated configuration: every option of the host and of the plugins
// in use, read from the environment (and optionally a config file), checked all at once.
#pragma once

#include <dpp/option.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "options/environment.hpp"
#include "options/option_spec.hpp"

namespace dpp::core {

class Configuration {
 public:
   // Canonical value of an option that is set or has a default.
   std::optional<std::string> get(const std::string& name) const;
   std::string get_or(const std::string& name, const std::string& fallback) const;
   bool get_bool(const std::string& name) const;
   uint64_t get_u64(const std::string& name, uint64_t fallback) const;

   // Values of the options `owner` declared, in the ABI's form. The returned view points into
   // this Configuration: keep it alive while the view is used.
   class PluginView {
    public:
      const dpp_options* get() const { return &options_; }

    private:
      friend class Configuration;
      std::vector<dpp_option_value> items_;
      dpp_options options_{};
   };
   PluginView plugin_options(const std::string& owner) const;

   // Values that must never be printed (for the logger's redaction).
   std::vector<std::string> secret_values() const;

   const std::vector<OptionSpec>& specs() const { return specs_; }

 private:
   friend Configuration resolve_configuration(const std::vector<OptionSpec>&, const Environment&,
                                              const std::map<std::string, std::string>*,
                                              std::vector<std::string>&);
   std::vector<OptionSpec> specs_;
   std::map<std::string, std::string> values_;
};

// Reads every option in `specs` from `env`, then from `file_values` (the environment wins),
// then its default; validates them all and throws one ConfigError listing every problem (each
// names the option, shows the bad value unless it is a secret, and says what is expected).
// Names in `file_values` that no spec declares are problems too.
Configuration resolve_configuration(const std::vector<OptionSpec>& specs, const Environment& env,
                                    const std::map<std::string, std::string>* file_values);

// The same, but returns what could be resolved and appends the problems to `problems` instead
// of throwing (so that later checks can still look at the values that were fine).
Configuration resolve_configuration(const std::vector<OptionSpec>& specs, const Environment& env,
                                    const std::map<std::string, std::string>* file_values,
                                    std::vector<std::string>& problems);

}  // namespace dpp::core

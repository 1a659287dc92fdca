// Resolves and validates the provider's configuration.
#include "options/configuration.hpp"

#include <set>

#include "errors.hpp"
#include "util/text.hpp"

namespace dpp::core {

std::optional<std::string> Configuration::get(const std::string& name) const {
   auto it = values_.find(name);
   if (it == values_.end()) return std::nullopt;
   return it->second;
}

std::string Configuration::get_or(const std::string& name, const std::string& fallback) const {
   return get(name).value_or(fallback);
}

bool Configuration::get_bool(const std::string& name) const {
   return get(name) == "true";
}

uint64_t Configuration::get_u64(const std::string& name, uint64_t fallback) const {
   auto value = get(name);
   return value ? std::stoull(*value) : fallback;
}

Configuration::PluginView Configuration::plugin_options(const std::string& owner) const {
   PluginView view;
   for (const auto& spec : specs_) {
      if (spec.owner != owner) continue;
      auto it = values_.find(spec.name);
      if (it != values_.end()) view.items_.push_back({it->first.c_str(), it->second.c_str()});
   }
   view.options_.struct_size = sizeof(dpp_options);
   view.options_.count = static_cast<uint32_t>(view.items_.size());
   view.options_.items = view.items_.data();
   return view;
}

std::vector<std::string> Configuration::secret_values() const {
   std::vector<std::string> secrets;
   for (const auto& spec : specs_)
      if (spec.secret)
         if (auto value = get(spec.name); value && !value->empty()) secrets.push_back(*value);
   return secrets;
}

Configuration resolve_configuration(const std::vector<OptionSpec>& specs, const Environment& env,
                                    const std::map<std::string, std::string>* file_values) {
   std::vector<std::string> problems;
   Configuration config = resolve_configuration(specs, env, file_values, problems);
   if (!problems.empty()) throw ConfigError(problems);
   return config;
}

Configuration resolve_configuration(const std::vector<OptionSpec>& specs, const Environment& env,
                                    const std::map<std::string, std::string>* file_values,
                                    std::vector<std::string>& problems) {
   Configuration config;
   config.specs_ = specs;
   std::set<std::string> known;
   for (const auto& spec : specs) {
      known.insert(spec.name);
      std::optional<std::string> raw = env.get(spec.name);
      std::string source = "environment";
      if (!raw && file_values) {
         auto it = file_values->find(spec.name);
         if (it != file_values->end() && !it->second.empty()) {
            raw = it->second;
            source = "config file";
         }
      }
      if (!raw && spec.default_value) {
         raw = *spec.default_value;
         source = "default";
      }
      if (!raw) {
         if (spec.required)
            problems.push_back(spec.name + " is not set: " + spec.description + " Expected " +
                               option_type_expectation(spec) + ".");
         continue;
      }
      ParsedValue parsed = parse_option_value(spec, *raw);
      if (!parsed.value) {
         const std::string shown =
             spec.secret ? "(secret value hidden)" : "'" + printable_excerpt(*raw) + "'";
         problems.push_back(spec.name + "=" + shown + " " + parsed.problem + ". Expected " +
                            option_type_expectation(spec) +
                            (source == "environment" ? "" : " (from the " + source + ")") + ".");
         continue;
      }
      config.values_[spec.name] = *parsed.value;
   }
   if (file_values)
      for (const auto& [name, value] : *file_values)
         if (!known.count(name))
            problems.push_back("the config file sets " + name +
                               ", which no option of the host or of the selected plugins is "
                               "called; check the spelling (`dokploy-provider plugins` lists "
                               "every option)");
   return config;
}

}  // namespace dpp::core

// Snapshot of the process environment.
#include "options/environment.hpp"

extern char** environ;

namespace dpp::core {

Environment Environment::from_process() {
   Environment env;
   for (char** entry = environ; entry && *entry; ++entry) {
      std::string text(*entry);
      const auto equals = text.find('=');
      if (equals == std::string::npos) continue;
      env.values_[text.substr(0, equals)] = text.substr(equals + 1);
   }
   return env;
}

Environment Environment::from_map(std::map<std::string, std::string> values) {
   Environment env;
   env.values_ = std::move(values);
   return env;
}

std::optional<std::string> Environment::get(const std::string& name) const {
   auto value = get_raw(name);
   if (!value || value->empty()) return std::nullopt;
   return value;
}

std::optional<std::string> Environment::get_raw(const std::string& name) const {
   auto it = values_.find(name);
   if (it == values_.end()) return std::nullopt;
   return it->second;
}

}  // namespace dpp::core

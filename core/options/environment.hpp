// Where option values come from: the process environment (as DevPod sets it), or a map in tests.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace dpp::core {

class Environment {
 public:
   // A snapshot of the process environment.
   static Environment from_process();
   static Environment from_map(std::map<std::string, std::string> values);

   // The value, or nullopt when unset. DevPod sets options the user left empty to "", which
   // counts as unset.
   std::optional<std::string> get(const std::string& name) const;
   // The raw value even when empty.
   std::optional<std::string> get_raw(const std::string& name) const;
   void set(const std::string& name, const std::string& value) { values_[name] = value; }

 private:
   std::map<std::string, std::string> values_;
};

}  // namespace dpp::core

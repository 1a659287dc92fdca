// Reads `--config FILE`.
#include "options/config_file.hpp"

#include <fstream>
#include <sstream>

#include "errors.hpp"
#include "util/text.hpp"

namespace dpp::core {
namespace {

bool is_option_name(std::string_view name) {
   if (name.empty()) return false;
   for (char c : name)
      if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
   return true;
}

}  // namespace

std::map<std::string, std::string> read_config_file(const std::string& path) {
   std::ifstream in(path, std::ios::binary);
   if (!in) throw ConfigError("cannot read the config file " + path + ": check the path and its permissions");
   std::map<std::string, std::string> values;
   std::vector<std::string> problems;
   std::string line;
   int number = 0;
   while (std::getline(in, line)) {
      ++number;
      const std::string where = path + ":" + std::to_string(number);
      std::string_view text = trim(line);
      if (text.empty() || text.front() == '#') continue;
      if (text.starts_with("export ")) text = trim(text.substr(7));
      const auto equals = text.find('=');
      if (equals == std::string_view::npos) {
         problems.push_back(where + ": expected NAME=value");
         continue;
      }
      const std::string name(trim(text.substr(0, equals)));
      std::string_view value = trim(text.substr(equals + 1));
      if (!is_option_name(name)) {
         problems.push_back(where + ": '" + printable_excerpt(name) +
                            "' is not an option name (A-Z, 0-9 and _)");
         continue;
      }
      if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
          value.back() == value.front())
         value = value.substr(1, value.size() - 2);
      if (values.count(name)) problems.push_back(where + ": " + name + " is set twice");
      values[name] = std::string(value);
   }
   if (!problems.empty()) throw ConfigError(problems);
   return values;
}

}  // namespace dpp::core

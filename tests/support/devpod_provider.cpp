// A DevPod provider.yaml as DevPod reads it (loft-sh/devpod pkg/provider/parse.go and
// pkg/options/resolve.go are the model for every rule here).
#include "support/devpod_provider.hpp"

#include <re2/re2.h>
#include <sys/utsname.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>

#include "support/child_process.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::devpod {
namespace {

std::string read_text(const std::string& path) {
   std::ifstream in(path, std::ios::binary);
   if (!in) throw std::runtime_error("cannot read " + path);
   std::stringstream text;
   text << in.rdbuf();
   return text.str();
}

std::string scalar(const YAML::Node& node, const std::string& what) {
   if (!node) return "";
   if (!node.IsScalar()) throw std::runtime_error(what + " must be a single value");
   return node.as<std::string>();
}

bool flag(const YAML::Node& node, const std::string& what) {
   if (!node) return false;
   const std::string text = scalar(node, what);
   if (text == "true") return true;
   if (text == "false") return false;
   throw std::runtime_error(what + " must be true or false, not '" + text + "'");
}

std::vector<std::string> string_list(const YAML::Node& node, const std::string& what) {
   std::vector<std::string> out;
   if (!node) return out;
   if (!node.IsSequence()) throw std::runtime_error(what + " must be a list");
   for (const auto& item : node) out.push_back(scalar(item, what + "[]"));
   return out;
}

// An exec entry: DevPod's types.StrArray accepts a string or a list of strings.
void read_exec_entry(const YAML::Node& node, const std::string& what, std::string& text, bool& is_list) {
   if (node.IsScalar()) {
      text = node.as<std::string>();
      is_list = false;
      return;
   }
   if (!node.IsSequence()) throw std::runtime_error(what + " must be a string or a list of strings");
   is_list = true;
   text.clear();
   for (const auto& item : node) text += (text.empty() ? "" : " ") + scalar(item, what + "[]");
}

// Go's strconv.ParseInt(value, 10, 64).
bool go_parse_int(const std::string& value) {
   if (value.empty()) return false;
   std::size_t start = (value[0] == '+' || value[0] == '-') ? 1 : 0;
   if (start == value.size()) return false;
   for (std::size_t i = start; i < value.size(); ++i)
      if (value[i] < '0' || value[i] > '9') return false;
   errno = 0;
   (void)std::strtoll(value.c_str(), nullptr, 10);
   return errno != ERANGE;
}

bool go_parse_bool(const std::string& value) {
   static const std::set<std::string> accepted = {"1", "t", "T", "TRUE",  "true",  "True",
                                                  "0", "f", "F", "FALSE", "false", "False"};
   return accepted.count(value) > 0;
}

// Go's time.ParseDuration: [-+]? then one or more <decimal><unit>, or "0".
bool go_parse_duration(const std::string& value) {
   std::string s = value;
   if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.erase(0, 1);
   if (s == "0") return true;
   if (s.empty()) return false;
   static const std::vector<std::string> units = {"ns", "us", "\xC2\xB5s", "\xCE\xBCs", "ms", "s", "m", "h"};
   std::size_t i = 0;
   while (i < s.size()) {
      const std::size_t digits_start = i;
      bool any_digit = false;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
         ++i;
         any_digit = true;
      }
      if (i < s.size() && s[i] == '.') {
         ++i;
         while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            ++i;
            any_digit = true;
         }
      }
      if (!any_digit || i == digits_start) return false;
      std::size_t unit_end = i;
      while (unit_end < s.size() && !(s[unit_end] >= '0' && s[unit_end] <= '9') && s[unit_end] != '.')
         ++unit_end;
      const std::string unit = s.substr(i, unit_end - i);
      bool known = false;
      for (const auto& candidate : units) known = known || candidate == unit;
      if (!known) return false;
      i = unit_end;
   }
   return true;
}

// DevPod's variableExpression, without Go's (?m) (the pattern has no anchors).
const std::regex& variable_expression() {
   static const std::regex pattern(R"(\$\{?([A-Z0-9_]+)(:(-|\+)([^\}]+))?\}?)");
   return pattern;
}

}  // namespace

const ProviderOption* ProviderDefinition::option(const std::string& wanted) const {
   for (const auto& candidate : options)
      if (candidate.name == wanted) return &candidate;
   return nullptr;
}

ProviderDefinition ProviderDefinition::parse(const std::string& yaml_text) {
   YAML::Node root;
   try {
      root = YAML::Load(yaml_text);
   } catch (const YAML::Exception& e) {
      throw std::runtime_error(std::string("provider.yaml is not valid YAML: ") + e.what());
   }
   if (!root.IsMap()) throw std::runtime_error("provider.yaml must be a mapping");
   ProviderDefinition provider;
   provider.name = scalar(root["name"], "name");
   provider.version = scalar(root["version"], "version");
   provider.description = scalar(root["description"], "description");
   if (const auto options = root["options"]) {
      if (!options.IsMap()) throw std::runtime_error("options must be a mapping");
      for (const auto& entry : options) {
         ProviderOption option;
         option.name = entry.first.as<std::string>();
         const YAML::Node& body = entry.second;
         const std::string where = "options." + option.name;
         if (body.IsNull()) {
            provider.options.push_back(option);
            continue;
         }
         if (!body.IsMap()) throw std::runtime_error(where + " must be a mapping");
         option.description = scalar(body["description"], where + ".description");
         if (body["default"]) option.default_value = scalar(body["default"], where + ".default");
         option.command = scalar(body["command"], where + ".command");
         option.type = scalar(body["type"], where + ".type");
         option.validation_pattern = scalar(body["validationPattern"], where + ".validationPattern");
         option.validation_message = scalar(body["validationMessage"], where + ".validationMessage");
         option.enum_values = string_list(body["enum"], where + ".enum");
         option.suggestions = string_list(body["suggestions"], where + ".suggestions");
         option.required = flag(body["required"], where + ".required");
         option.password = flag(body["password"], where + ".password");
         option.local = flag(body["local"], where + ".local");
         option.global = flag(body["global"], where + ".global");
         option.hidden = flag(body["hidden"], where + ".hidden");
         provider.options.push_back(std::move(option));
      }
   }
   if (const auto groups = root["optionGroups"]) {
      if (!groups.IsSequence()) throw std::runtime_error("optionGroups must be a list");
      for (const auto& body : groups) {
         OptionGroup group;
         group.name = scalar(body["name"], "optionGroups[].name");
         group.options = string_list(body["options"], "optionGroups[].options");
         group.default_visible = flag(body["defaultVisible"], "optionGroups[].defaultVisible");
         provider.option_groups.push_back(std::move(group));
      }
   }
   if (const auto binaries = root["binaries"]) {
      if (!binaries.IsMap()) throw std::runtime_error("binaries must be a mapping");
      for (const auto& entry : binaries) {
         const std::string key = entry.first.as<std::string>();
         auto& list = provider.binaries[key];
         if (!entry.second.IsSequence()) throw std::runtime_error("binaries." + key + " must be a list");
         for (const auto& body : entry.second) {
            ProviderBinary binary;
            binary.os = scalar(body["os"], "binaries." + key + "[].os");
            binary.arch = scalar(body["arch"], "binaries." + key + "[].arch");
            binary.path = scalar(body["path"], "binaries." + key + "[].path");
            binary.checksum = scalar(body["checksum"], "binaries." + key + "[].checksum");
            binary.archive_path = scalar(body["archivePath"], "binaries." + key + "[].archivePath");
            binary.name = scalar(body["name"], "binaries." + key + "[].name");
            list.push_back(std::move(binary));
         }
      }
   }
   if (const auto exec = root["exec"]) {
      if (!exec.IsMap()) throw std::runtime_error("exec must be a mapping");
      for (const auto& entry : exec) {
         const std::string verb = entry.first.as<std::string>();
         bool is_list = false;
         read_exec_entry(entry.second, "exec." + verb, provider.exec[verb], is_list);
         provider.exec_is_list[verb] = is_list;
      }
   }
   if (const auto agent = root["agent"]) {
      provider.agent.path = scalar(agent["path"], "agent.path");
      provider.agent.data_path = scalar(agent["dataPath"], "agent.dataPath");
      provider.agent.inactivity_timeout = scalar(agent["inactivityTimeout"], "agent.inactivityTimeout");
      provider.agent.inject_git_credentials =
          scalar(agent["injectGitCredentials"], "agent.injectGitCredentials");
      provider.agent.inject_docker_credentials =
          scalar(agent["injectDockerCredentials"], "agent.injectDockerCredentials");
      if (const auto agent_exec = agent["exec"]; agent_exec && agent_exec["shutdown"]) {
         std::string text;
         bool is_list = false;
         read_exec_entry(agent_exec["shutdown"], "agent.exec.shutdown", text, is_list);
         provider.agent.shutdown = text;
      }
   }
   return provider;
}

ProviderDefinition ProviderDefinition::load(const std::string& path) {
   return parse(read_text(path));
}

std::string expand_variables(const std::string& text, const std::map<std::string, std::string>& values) {
   std::string out;
   auto begin = std::sregex_iterator(text.begin(), text.end(), variable_expression());
   std::size_t last = 0;
   for (auto it = begin; it != std::sregex_iterator(); ++it) {
      const std::smatch& match = *it;
      out += text.substr(last, static_cast<std::size_t>(match.position(0)) - last);
      const auto found = values.find(match[1].str());
      out += found != values.end() ? found->second : match[0].str();
      last = static_cast<std::size_t>(match.position(0) + match.length(0));
   }
   out += text.substr(last);
   return out;
}

std::vector<std::string> find_variables(const std::string& text) {
   std::set<std::string> names;
   for (auto it = std::sregex_iterator(text.begin(), text.end(), variable_expression());
        it != std::sregex_iterator(); ++it)
      names.insert((*it)[1].str());
   return {names.begin(), names.end()};
}

std::string check_user_value(const ProviderOption& option, const std::string& value) {
   if (!option.validation_pattern.empty()) {
      RE2 pattern(option.validation_pattern, RE2::Quiet);
      if (!pattern.ok())
         return "option " + option.name + " has an invalid validationPattern: " + pattern.error();
      if (!RE2::PartialMatch(value, pattern)) {
         if (!option.validation_message.empty()) return option.validation_message;
         return "invalid value '" + value + "' for option '" + option.name +
                "', has to match the following regEx: " + option.validation_pattern;
      }
   }
   if (!option.enum_values.empty()) {
      bool found = false;
      for (const auto& allowed : option.enum_values) found = found || allowed == value;
      if (!found) {
         std::string allowed = "[";
         for (const auto& item : option.enum_values) allowed += (allowed.size() > 1 ? " " : "") + item;
         return "invalid value '" + value + "' for option '" + option.name +
                "', has to match one of the following values: " + allowed + "]";
      }
   }
   if (option.type == "number" && !go_parse_int(value))
      return "invalid value '" + value + "' for option '" + option.name + "', must be a number";
   if (option.type == "boolean" && !go_parse_bool(value))
      return "invalid value '" + value + "' for option '" + option.name + "', must be a boolean";
   if (option.type == "duration" && !go_parse_duration(value))
      return "invalid value '" + value + "' for option '" + option.name +
             "', must be a duration like 10s, 5m or 24h";
   return "";
}

std::map<std::string, std::string> resolve_options(const ProviderDefinition& provider,
                                                   const std::map<std::string, std::string>& user_values,
                                                   const std::map<std::string, std::string>& extra_values) {
   for (const auto& [name, value] : user_values) {
      const ProviderOption* option = provider.option(name);
      if (!option)
         throw std::runtime_error("invalid option '" + name + "', it is not an option of " + provider.name);
      const std::string problem = check_user_value(*option, value);
      if (!problem.empty()) throw std::runtime_error(problem);
   }
   // Dependency order: an option is resolved once every option its default or command names is.
   std::map<std::string, std::string> resolved;
   std::set<std::string> pending;
   for (const auto& option : provider.options) pending.insert(option.name);
   while (!pending.empty()) {
      bool progressed = false;
      for (auto it = pending.begin(); it != pending.end();) {
         const ProviderOption& option = *provider.option(*it);
         bool ready = true;
         for (const auto& name : find_variables(option.default_value.value_or("") + " " + option.command))
            if (name != option.name && pending.count(name)) ready = false;
         if (!ready) {
            ++it;
            continue;
         }
         std::map<std::string, std::string> values = extra_values;
         for (const auto& [name, value] : resolved) values[name] = value;
         std::string value;
         if (auto user = user_values.find(option.name); user != user_values.end()) {
            value = user->second;
         } else if (option.default_value && !option.default_value->empty()) {
            value = expand_variables(*option.default_value, values);
         } else if (!option.command.empty()) {
            EnvMap env = current_environment();
            for (const auto& [name, text] : values) env[name] = text;
            const ProcessResult result = run_process({.argv = {"/bin/sh", "-c", option.command}, .env = env});
            if (result.exit_code != 0)
               throw std::runtime_error("resolve option " + option.name + ": run command: " + result.out +
                                        result.err);
            value = result.out;
            while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.pop_back();
            while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front())))
               value.erase(0, 1);
         }
         if (option.required && value.empty() && !user_values.count(option.name))
            throw std::runtime_error("resolve option " + option.name + ": option " + option.name +
                                     " is required, but no value provided");
         resolved[option.name] = value;
         it = pending.erase(it);
         progressed = true;
      }
      if (!progressed) throw std::runtime_error("the defaults of the options form a cycle");
   }
   return resolved;
}

std::string make_dev_variant(const std::string& yaml_text, const std::string& binary_path,
                             const std::string& key) {
   std::istringstream in(yaml_text);
   std::string line, out;
   bool skipping = false;
   bool replaced = false;
   const std::string block = "binaries:\n  " + key + ":\n    - os: " + devpod_os() +
                             "\n      arch: " + devpod_arch() + "\n      path: " + binary_path + "\n";
   while (std::getline(in, line)) {
      const bool top_level =
          !line.empty() && line[0] != ' ' && line[0] != '\t' && line[0] != '#' && line[0] != '-';
      if (skipping && top_level) skipping = false;
      if (!skipping && line.rfind("binaries:", 0) == 0) {
         out += block;
         skipping = true;
         replaced = true;
         continue;
      }
      if (!skipping) out += line + "\n";
   }
   if (!replaced) out += block;
   return out;
}

std::string dev_provider_yaml(const std::string& provider_binary, const std::string& scratch_dir) {
   const std::string built = binary_dir() + "/provider-dev.yaml";
   std::ifstream probe(built);
   if (probe) {
      try {
         const ProviderDefinition dev = ProviderDefinition::load(built);
         const auto binaries = dev.binaries.find("DOKPLOY_PROVIDER");
         if (binaries != dev.binaries.end())
            for (const auto& binary : binaries->second)
               if (binary.os == devpod_os() && binary.arch == devpod_arch() && binary.path == provider_binary)
                  return built;
      } catch (const std::exception&) {
         // Not usable: make our own below.
      }
   }
   const std::string path = scratch_dir + "/provider-dev.yaml";
   std::ofstream out(path, std::ios::binary | std::ios::trunc);
   out << make_dev_variant(read_text(source_dir() + "/provider.yaml"), provider_binary);
   if (!out) throw std::runtime_error("cannot write " + path);
   return path;
}

std::string devpod_os() {
   return "linux";
}

std::string devpod_arch() {
   struct utsname name {};
   ::uname(&name);
   const std::string machine = name.machine;
   if (machine == "x86_64") return "amd64";
   if (machine == "aarch64" || machine == "arm64") return "arm64";
   return machine;
}

}  // namespace dpp::test::devpod

// Every rule DevPod applies to a provider.yaml (loft-sh/devpod pkg/provider/parse.go; docs/devpod.md,
// "Supported DevPod versions"), plus the project's own: the file and the options the host and
// plugins declare agree. Checked on the committed file and on every generated variant.
#include <gtest/gtest.h>
#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include <regex>
#include <set>

#include "provider_yaml_files.hpp"
#include "support/child_process.hpp"
#include "support/devpod_provider.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::devpod {
namespace {

// Options only DevPod's agent reads (through agent:), never the host or a plugin.
bool agent_only(const std::string& name) {
   return name == "DOKPLOY_INACTIVITY_TIMEOUT" || name.rfind("DOKPLOY_INJECT_", 0) == 0;
}

const std::set<std::string> kTopKeys = {"name",    "version", "icon",        "iconDark",
                                        "home",    "source",  "description", "optionGroups",
                                        "options", "agent",   "exec",        "binaries"};
const std::set<std::string> kOptionKeys = {"description",
                                           "required",
                                           "password",
                                           "type",
                                           "validationPattern",
                                           "validationMessage",
                                           "suggestions",
                                           "enum",
                                           "hidden",
                                           "local",
                                           "global",
                                           "default",
                                           "cache",
                                           "command",
                                           "subOptionsCommand",
                                           "mutable",
                                           "displayName"};
const std::set<std::string> kGroupKeys = {"name", "options", "defaultVisible"};
const std::set<std::string> kAgentKeys = {"local",
                                          "path",
                                          "dataPath",
                                          "downloadURL",
                                          "inactivityTimeout",
                                          "containerInactivityTimeout",
                                          "injectGitCredentials",
                                          "injectDockerCredentials",
                                          "exec",
                                          "binaries",
                                          "driver",
                                          "kubernetes",
                                          "docker"};
const std::set<std::string> kBinaryKeys = {"os", "arch", "checksum", "path", "archivePath", "name"};
const std::set<std::string> kExecVerbs = {"init", "command", "create", "delete", "start", "stop", "status"};
const std::set<std::string> kOptionBooleans = {"required", "password", "hidden",
                                               "local",    "global",   "mutable"};
const std::set<std::string> kAllowedTypes = {"string", "multiline", "duration", "number", "boolean"};

// What DevPod puts into every exec's environment besides options and binaries.
const std::set<std::string> kDevPodVariables = {"MACHINE_ID",
                                                "MACHINE_FOLDER",
                                                "MACHINE_CONTEXT",
                                                "MACHINE_PROVIDER",
                                                "DEVPOD",
                                                "DEVPOD_OS",
                                                "DEVPOD_ARCH",
                                                "DEVPOD_DEBUG",
                                                "DEVPOD_LOG_LEVEL",
                                                "PROVIDER_ID",
                                                "PROVIDER_CONTEXT",
                                                "PROVIDER_FOLDER",
                                                "COMMAND",
                                                "HOME",
                                                "PATH"};

struct File {
   std::string path;
   YAML::Node root;
   ProviderDefinition provider;
};

std::vector<File> files() {
   std::vector<File> out;
   for (const auto& path : provider_yaml_files()) {
      File file;
      file.path = path;
      file.root = YAML::LoadFile(path);
      file.provider = ProviderDefinition::load(path);
      out.push_back(std::move(file));
   }
   return out;
}

std::vector<std::string> keys(const YAML::Node& map) {
   std::vector<std::string> out;
   if (map && map.IsMap())
      for (const auto& entry : map) out.push_back(entry.first.as<std::string>());
   return out;
}

// A plain (unquoted) scalar that YAML 1.1 — what DevPod's ghodss/yaml reads — resolves to a
// boolean, null or number: DevPod's JSON decoder then refuses it for a string field.
bool yaml11_non_string(const YAML::Node& node) {
   if (!node || !node.IsScalar() || node.Tag() != "?") return false;
   static const std::regex pattern(
       R"(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|~|null|Null|NULL|)"
       R"([-+]?(0b[01_]+|0[0-7_]+|(0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(:[0-5]?[0-9])+)|)"
       R"([-+]?([0-9][0-9_]*)?\.[0-9.]*([eE][-+][0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))");
   return std::regex_match(node.Scalar(), pattern);
}

bool semver(std::string version) {
   if (!version.empty() && version[0] == 'v') version.erase(0, 1);
   static const std::regex pattern(
       R"(^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$)");
   return std::regex_match(version, pattern);
}

bool upper_snake(const std::string& name) {
   static const std::regex pattern("^[A-Z0-9_]+$");
   return std::regex_match(name, pattern);
}

// The host's and plugins' option declarations, from `dokploy-provider plugins --output json`.
nlohmann::json declared_options_document() {
   const ProcessResult listing =
       run_process({.argv = {provider_path(), "plugins", "--output", "json"},
                    .env = EnvMap{{"PATH", "/usr/bin:/bin"}, {"HOME", "/nonexistent"}, {"LANG", "C.UTF-8"}}});
   nlohmann::json document = nlohmann::json::parse(listing.out, nullptr, false);
   if (document.is_discarded())
      throw std::runtime_error("`dokploy-provider plugins --output json` did not print JSON (exit " +
                               std::to_string(listing.exit_code) + "):\n" + listing.out + listing.err);
   return document;
}

}  // namespace

TEST(ProviderYaml, TheFilesCheckedIncludeTheCommittedOne) {
   const auto all = provider_yaml_files();
   ASSERT_FALSE(all.empty());
   EXPECT_EQ(all.front(), source_dir() + "/provider.yaml");
   for (const auto& path : all) std::printf("checking %s\n", path.c_str());
}

TEST(ProviderYaml, NameIsLowercaseLettersDigitsAndDashesOfAtMost32) {
   for (const auto& file : files()) {
      SCOPED_TRACE(file.path);
      EXPECT_FALSE(file.provider.name.empty());
      EXPECT_TRUE(std::regex_match(file.provider.name, std::regex("^[a-z0-9-]+$"))) << file.provider.name;
      EXPECT_LE(file.provider.name.size(), 32u);
   }
}

TEST(ProviderYaml, VersionIsSemver) {
   for (const auto& file : files()) {
      SCOPED_TRACE(file.path);
      if (!file.provider.version.empty()) {
         EXPECT_TRUE(semver(file.provider.version)) << file.provider.version;
      }
   }
}

TEST(ProviderYaml, OptionAndBinaryNamesAreUpperCaseLettersDigitsAndUnderscores) {
   for (const auto& file : files()) {
      SCOPED_TRACE(file.path);
      for (const auto& option : file.provider.options) EXPECT_TRUE(upper_snake(option.name)) << option.name;
      for (const auto& [key, entries] : file.provider.binaries) EXPECT_TRUE(upper_snake(key)) << key;
      for (const auto& key : keys(file.root["agent"]["binaries"])) EXPECT_TRUE(upper_snake(key)) << key;
   }
}

TEST(ProviderYaml, AllSevenExecEntriesExistAndPairUpAsDevPodRequires) {
   for (const auto& file : files()) {
      SCOPED_TRACE(file.path);
      const auto& exec = file.provider.exec;
      for (const auto& verb : kExecVerbs) EXPECT_TRUE(exec.count(verb) && !exec.at(verb).empty()) << verb;
      auto has = [&](const char* verb) { return exec.count(verb) && !exec.at(verb).empty(); };
      EXPECT_TRUE(has("command")) << "exec.command is always required";
      EXPECT_EQ(has("create"), has("delete")) << "create and delete require each other";
      EXPECT_EQ(has("start"), has("stop")) << "start and stop require each other";
      if (has("start")) {
         EXPECT_TRUE(has("status") && has("create")) << "start needs status and create";
      }
   }
}

TEST(ProviderYaml, ExecEntriesAreSingleStringsThatUseOnlyKnownVariables) {
   for (const auto& file : files()) {
      SCOPED_TRACE(file.path);
      std::set<std::string> known = kDevPodVariables;
      for (const auto& option : file.provider.options) known.insert(option.name);
      for (const auto& [key, entries] : file.provider.binaries) known.insert(key);
      for (const auto& entry : file.root["exec"]) {
         const std::string verb = entry.first.as<std::string>();
         // A list would be exec'ed without a shell, so ${DOKPLOY_PROVIDER} would not expand.
         EXPECT_TRUE(entry.second.IsScalar()) << "exec." << verb << " must be one string";
         for (const auto& name : find_variables(file.provider.exec.at(verb)))
            EXPECT_TRUE(known.count(name))
                << "exec." << verb << " uses ${" << name << "}, which DevPod never sets";
      }
      const YAML::Node agent = file.root["agent"];
      for (const char* field : {"path", "dataPath", "inactivityTimeout", "injectGitCredentials",
                                "injectDockerCredentials", "downloadURL"}) {
         if (!agent[field]) continue;
         for (const auto& name : find_variables(agent[field].as<std::string>()))
            EXPECT_TRUE(file.provider.option(name))
                << "agent." << field << " uses ${" << name << "}, not an option";
      }
      if (agent["exec"] && agent["exec"]["shutdown"]) {
         EXPECT_TRUE(agent["exec"]["shutdown"].IsScalar()) << "agent.exec.shutdown must be one string";
         for (const auto& name : find_variables(*file.provider.agent.shutdown))
            if (name.rfind("DOKPLOY_", 0) == 0) {
               EXPECT_TRUE(file.provider.option(name))
                   << "agent.exec.shutdown reads " << name << ", not an option";
            }
      }
   }
}

TEST(ProviderYaml, ExecEntriesExecTheProviderSoDevPodsSigintReachesIt) {
   // DevPod cancels by signalling the shell it started; dash neither execs a -c command nor
   // acts on SIGINT while waiting, so without `exec` the provider would only ever see SIGKILL.
   for (const auto& file : files()) {
      SCOPED_TRACE(file.path);
      for (const auto& [verb, text] : file.provider.exec)
         EXPECT_EQ(text.rfind("exec ", 0), 0u) << "exec." << verb << ": " << text;
   }
}

TEST(ProviderYaml, NoOptionCombinesFieldsDevPodForbidsTogether) {
   for (const auto& file : files()) {
      SCOPED_TRACE(file.path);
      for (const auto& entry : file.root["options"]) {
         const std::string name = entry.first.as<std::string>();
         const YAML::Node& option = entry.second;
         const bool has_default = option["default"] && !option["default"].as<std::string>().empty();
         const bool has_command = option["command"] && !option["command"].as<std::string>().empty();
         const bool has_cache = option["cache"] && !option["cache"].as<std::string>().empty();
         const bool global = option["global"] && option["global"].as<std::string>() == "true";
         const bool is_mutable = option["mutable"] && option["mutable"].as<std::string>() == "true";
         EXPECT_FALSE(has_default && has_command) << name << ": default and command";
         EXPECT_FALSE(global && has_cache) << name << ": global and cache";
         EXPECT_FALSE(global && is_mutable) << name << ": global and mutable";
         EXPECT_FALSE(has_cache && !has_command) << name << ": cache needs command";
         if (has_cache) {
            ProviderOption probe;
            probe.name = name;
            probe.type = "duration";
            EXPECT_EQ(check_user_value(probe, option["cache"].as<std::string>()), "") << name << ": cache";
         }
      }
   }
}

TEST(ProviderYaml, OptionTypesAreOnesDevPodAccepts) {
   for (const auto& file : files()) {
      SCOPED_TRACE(file.path);
      for (const auto& option : file.provider.options)
         if (!option.type.empty()) {
            EXPECT_TRUE(kAllowedTypes.count(option.type)) << option.name << ": " << option.type;
         }
   }
}

TEST(ProviderYaml, EveryOptionIsInExactlyOneNamedGroupAndGroupsNameOnlyOptions) {
   for (const auto& file : files()) {
      SCOPED_TRACE(file.path);
      std::map<std::string, int> uses;
      for (const auto& group : file.provider.option_groups) {
         EXPECT_FALSE(group.name.empty()) << "optionGroups[].name cannot be empty";
         for (const auto& name : group.options) {
            EXPECT_TRUE(file.provider.option(name))
                << "group " << group.name << " names " << name << ", not an option";
            ++uses[name];
         }
      }
      for (const auto& option : file.provider.options) EXPECT_EQ(uses[option.name], 1) << option.name;
   }
}

TEST(ProviderYaml, ValidationPatternsCompileAsRe2AndEveryDefaultPassesItsOwnChecks) {
   for (const auto& file : files()) {
      SCOPED_TRACE(file.path);
      for (const auto& option : file.provider.options) {
         if (!option.validation_pattern.empty()) {
            RE2 pattern(option.validation_pattern, RE2::Quiet);
            EXPECT_TRUE(pattern.ok()) << option.name << ": " << pattern.error();
            EXPECT_FALSE(option.validation_message.empty())
                << option.name << " says nothing when a value is refused";
         }
         if (option.default_value) {
            EXPECT_EQ(check_user_value(option, *option.default_value), "")
                << option.name << ": its default '" << *option.default_value << "'";
         }
         for (const auto& suggestion : option.suggestions)
            EXPECT_EQ(check_user_value(option, suggestion), "")
                << option.name << ": suggestion " << suggestion;
      }
   }
}

TEST(ProviderYaml, TheApiTokenIsAPasswordAndRequired) {
   for (const auto& file : files()) {
      SCOPED_TRACE(file.path);
      const ProviderOption* token = file.provider.option("DOKPLOY_API_TOKEN");
      ASSERT_NE(token, nullptr);
      EXPECT_TRUE(token->password);
      EXPECT_TRUE(token->required);
      EXPECT_FALSE(token->default_value && !token->default_value->empty())
          << "a token must never have a default";
   }
}

TEST(ProviderYaml, NoKeyIsUnknownToDevPod) {
   // Some DevPod releases decode provider.yaml with DisallowUnknownFields: an unknown key there
   // makes `devpod provider add` fail.
   auto check = [](const YAML::Node& map, const std::set<std::string>& known, const std::string& where) {
      for (const auto& key : keys(map))
         EXPECT_TRUE(known.count(key)) << where << key << " is not a DevPod field";
   };
   for (const auto& file : files()) {
      SCOPED_TRACE(file.path);
      check(file.root, kTopKeys, "");
      for (const auto& entry : file.root["options"])
         check(entry.second, kOptionKeys, "options." + entry.first.as<std::string>() + ".");
      for (const auto& group : file.root["optionGroups"]) check(group, kGroupKeys, "optionGroups[].");
      check(file.root["agent"], kAgentKeys, "agent.");
      check(file.root["agent"]["exec"], {"shutdown"}, "agent.exec.");
      check(file.root["exec"], kExecVerbs, "exec.");
      for (const auto& entry : file.root["binaries"])
         for (const auto& binary : entry.second) check(binary, kBinaryKeys, "binaries[].");
      for (const auto& entry : file.root["agent"]["binaries"])
         for (const auto& binary : entry.second) check(binary, kBinaryKeys, "agent.binaries[].");
   }
}

TEST(ProviderYaml, ValuesDevPodReadsAsTextAreNotYamlBooleansOrNumbers) {
   for (const auto& file : files()) {
      SCOPED_TRACE(file.path);
      for (const char* key : {"name", "version", "description", "icon", "home"})
         EXPECT_FALSE(yaml11_non_string(file.root[key])) << key << " must be quoted";
      for (const auto& entry : file.root["options"]) {
         const std::string name = entry.first.as<std::string>();
         for (const auto& field : entry.second) {
            const std::string key = field.first.as<std::string>();
            if (kOptionBooleans.count(key)) {
               EXPECT_TRUE(field.second.Scalar() == "true" || field.second.Scalar() == "false")
                   << name << "." << key << " must be true or false";
               continue;
            }
            if (field.second.IsScalar()) {
               EXPECT_FALSE(yaml11_non_string(field.second))
                   << name << "." << key << ": '" << field.second.Scalar()
                   << "' must be quoted, DevPod reads it as a non-string";
            }
            if (field.second.IsSequence()) {
               for (const auto& item : field.second)
                  EXPECT_FALSE(yaml11_non_string(item)) << name << "." << key << "[] must be quoted";
            }
         }
      }
      for (const auto& entry : file.root["exec"]) EXPECT_FALSE(yaml11_non_string(entry.second));
      for (const auto& entry : file.root["binaries"])
         for (const auto& binary : entry.second)
            for (const auto& field : binary)
               EXPECT_FALSE(yaml11_non_string(field.second)) << "binaries[]." << field.first;
      for (const char* key : {"path", "dataPath", "inactivityTimeout", "downloadURL"})
         EXPECT_FALSE(yaml11_non_string(file.root["agent"][key])) << "agent." << key;
   }
}

TEST(ProviderYaml, EveryBinaryEntryIsOneDevPodCanInstallAndLinuxAmd64IsCovered) {
   for (const auto& file : files()) {
      SCOPED_TRACE(file.path);
      EXPECT_FALSE(file.provider.binaries.empty());
      for (const auto& [key, entries] : file.provider.binaries) {
         bool amd64 = false;
         for (const auto& binary : entries) {
            EXPECT_TRUE(binary.os == "linux" || binary.os == "darwin" || binary.os == "windows")
                << key << ": " << binary.os;
            EXPECT_FALSE(binary.arch.empty()) << key;
            EXPECT_FALSE(binary.path.empty()) << key;
            const bool archive = binary.path.ends_with(".gz") || binary.path.ends_with(".tar") ||
                                 binary.path.ends_with(".tgz") || binary.path.ends_with(".zip");
            EXPECT_FALSE(archive && binary.archive_path.empty()) << key << ": an archive needs archivePath";
            if (!binary.checksum.empty()) {
               EXPECT_TRUE(std::regex_match(binary.checksum, std::regex("^[0-9a-f]{64}$")))
                   << key << ": checksum";
            }
            if (binary.path[0] == '/') {
               EXPECT_TRUE(binary.checksum.empty())
                   << key << ": a local path with a checksum is deleted by DevPod on mismatch";
            }
            amd64 = amd64 || (binary.os == "linux" && binary.arch == "amd64");
         }
         EXPECT_TRUE(amd64) << key << " has no linux/amd64 entry";
      }
   }
}

TEST(ProviderYaml, DevPodResolvesEveryOptionGivenOnlyTheRequiredOnes) {
   for (const auto& file : files()) {
      SCOPED_TRACE(file.path);
      std::map<std::string, std::string> user;
      for (const auto& option : file.provider.options)
         if (option.required)
            user[option.name] = option.name == "DOKPLOY_SERVER_URL" ? "https://dokploy.example.com" : "x";
      std::map<std::string, std::string> values;
      ASSERT_NO_THROW(values = resolve_options(file.provider, user));
      EXPECT_EQ(values.size(), file.provider.options.size());
      // The agent's fields expand to concrete values (DevPod's ResolveAgentConfig).
      EXPECT_EQ(expand_variables(file.provider.agent.path, values).find('$'), std::string::npos);
      EXPECT_EQ(expand_variables(file.provider.agent.data_path, values).find('$'), std::string::npos);
   }
}

TEST(ProviderYaml, EveryOptionTheHostAndPluginsDeclareIsListedWithTheSameDefaultAndSecrecy) {
   const nlohmann::json document = declared_options_document();
   std::vector<nlohmann::json> declared;
   for (const auto& option : document["host"]["options"]) declared.push_back(option);
   std::set<std::string> plugin_ids;
   for (const auto& plugin : document["plugins"]) {
      plugin_ids.insert(plugin.value("id", ""));
      for (const auto& option : plugin["options"]) declared.push_back(option);
   }
   for (const char* id : {"dokploy", "libssh2", "system", "key", "password"})
      if (!plugin_ids.count(id))
         DPP_SKIP(std::string("plugin '") + id + "' is not built yet, so its options are unknown");
   for (const auto& file : files()) {
      SCOPED_TRACE(file.path);
      for (const auto& option : declared) {
         const std::string name = option.value("name", "");
         const ProviderOption* listed = file.provider.option(name);
         EXPECT_NE(listed, nullptr) << name
                                    << " is declared by the host or a plugin but missing from provider.yaml";
         if (!listed) continue;
         const std::string want = option["default"].is_null() ? "" : option["default"].get<std::string>();
         EXPECT_EQ(listed->default_value.value_or(""), want) << name << ": default";
         EXPECT_EQ(listed->password, option.value("secret", false)) << name << ": password";
         EXPECT_EQ(listed->required, option.value("required", false)) << name << ": required";
         const std::string type = option.value("type", "string");
         if (type == "boolean") {
            EXPECT_EQ(listed->type, "boolean") << name;
         }
         if (type == "duration") {
            EXPECT_EQ(listed->type, "duration") << name;
         }
         if (option.contains("values")) {
            const auto values = option["values"].get<std::vector<std::string>>();
            EXPECT_EQ(listed->enum_values.empty() ? listed->suggestions : listed->enum_values, values)
                << name;
         }
      }
   }
}

TEST(ProviderYaml, EveryListedOptionIsDeclaredByTheHostOrAPluginExceptAgentOnlyOnes) {
   const nlohmann::json document = declared_options_document();
   std::set<std::string> declared;
   for (const auto& option : document["host"]["options"]) declared.insert(option.value("name", ""));
   std::set<std::string> plugin_ids;
   for (const auto& plugin : document["plugins"]) {
      plugin_ids.insert(plugin.value("id", ""));
      for (const auto& option : plugin["options"]) declared.insert(option.value("name", ""));
   }
   for (const char* id : {"dokploy", "libssh2", "system", "key", "password"})
      if (!plugin_ids.count(id))
         DPP_SKIP(std::string("plugin '") + id + "' is not built yet, so its options are unknown");
   for (const auto& file : files()) {
      SCOPED_TRACE(file.path);
      for (const auto& option : file.provider.options) {
         if (agent_only(option.name)) continue;
         EXPECT_TRUE(declared.count(option.name))
             << option.name << " is in provider.yaml but nothing reads it";
      }
   }
}

}  // namespace dpp::test::devpod

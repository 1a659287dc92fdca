// Every option, given every hostile value through the environment (and the values an environment
// cannot carry through --config), is refused on a line of its own that names it and shows the
// value escaped (a secret's never), or carried: nothing is ever interpreted (the canary file a
// value would create never appears), and no raw control byte reaches the output.
#include <gmock/gmock.h>

#include <set>
#include <sstream>

#include "hostile_fixture.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::hostile {
namespace {

using ::testing::HasSubstr;

struct OptionInfo {
   std::string name;
   std::string type;
   bool secret = false;
};

// The plugins one run selects: their options (and the host's) are the ones it checks.
struct Selection {
   std::string transport;
   std::string auth;
};
const Selection kSelections[] = {{"libssh2", "key"}, {"system", "password"}};

// Every option of the host and of the installed plugins `ids`, as `plugins --output json` lists
// them.
std::vector<OptionInfo> all_options(const std::set<std::string>& ids) {
   const ProcessResult result = run_provider({"plugins", "--output", "json"}, clean_environment());
   EXPECT_EQ(result.exit_code, 0) << result.err;
   std::vector<OptionInfo> options;
   const nlohmann::json document = nlohmann::json::parse(result.out);
   auto add = [&](const nlohmann::json& list) {
      for (const auto& option : list) options.push_back({option["name"], option["type"], option["secret"]});
   };
   add(document["host"]["options"]);
   for (const auto& plugin : document["plugins"])
      if (plugin["file"].get<std::string>().rfind(plugin_dir(), 0) == 0 && ids.count(plugin["id"]))
         add(plugin["options"]);
   return options;
}

// The options that choose plugins: a bad one keeps the plugins from loading, so each is tried
// alone.
bool selects_plugins(const std::string& name) {
   return name == "DOKPLOY_BACKEND" || name == "DOKPLOY_SSH_TRANSPORT" || name == "DOKPLOY_SSH_AUTH" ||
          name == "DOKPLOY_PLUGIN_PATH";
}

std::vector<std::string> lines_of(const std::string& text) {
   std::vector<std::string> lines;
   std::istringstream in(text);
   for (std::string line; std::getline(in, line);) lines.push_back(line);
   return lines;
}

// One test per kind of hostile value; each runs every value of its kind.
class OptionValues : public ::testing::TestWithParam<std::string> {
 protected:
   void check_every_option(const HostileValue& hostile, const Selection& selection);
   void check_selecting_options(const HostileValue& hostile);
   TempDir dir_{"dpp-hostile-options"};
   std::string canary() const { return dir_.file("canary"); }
};

TEST_P(OptionValues, EveryOptionRefusesItOnItsOwnLineOrCarriesItUninterpreted) {
   for (const HostileValue& hostile : hostile_values_of(GetParam())) {
      for (const Selection& selection : kSelections) {
         SCOPED_TRACE(hostile.kind + "_" + hostile.name + " with " + selection.transport + "/" + selection.auth);
         check_every_option(hostile, selection);
      }
   }
   EXPECT_FALSE(file_exists(canary())) << "a value was executed";
}

void OptionValues::check_every_option(const HostileValue& hostile, const Selection& selection) {
   const std::string value = with_canary(hostile.value, canary());
   const std::vector<OptionInfo> options = all_options({"dokploy", selection.transport, selection.auth});
   ASSERT_GT(options.size(), 20u);

   // All options but the selecting ones at once: every problem is reported in one run.
   std::map<std::string, std::string> settings;
   for (const auto& option : options)
      if (!selects_plugins(option.name)) settings[option.name] = value;
   if (value.size() > 1024 * 1024) {  // 10 MB in every option would make a 300 MB file: a few suffice
      settings = {{"DOKPLOY_PROJECT_NAME", value}, {"DOKPLOY_API_TOKEN", value}, {"DOKPLOY_IMAGE", value},
                  {"DOKPLOY_SERVER_URL", value}, {"DOKPLOY_MEMORY_LIMIT", value}};
   }

   settings["DOKPLOY_SSH_TRANSPORT"] = selection.transport;
   settings["DOKPLOY_SSH_AUTH"] = selection.auth;
   // The kernel takes at most a quarter of the stack limit for argv and environment together:
   // 120 KiB in every option at once only fits in a config file.
   std::size_t total = 0;
   for (const auto& [name, v] : settings) total += name.size() + v.size() + 2;
   ProcessResult result;
   if (hostile.env_capable && total < 1024 * 1024) {
      EnvMap env = clean_environment();
      for (const auto& [name, v] : settings) env[name] = v;
      result = run_provider({"init"}, env);
   } else {
      // NUL bytes and 10 MB: an environment cannot carry them (execve refuses strings over
      // 128 KiB; C strings end at NUL), nor megabytes in all; a config file can.
      std::string file;
      for (const auto& [name, v] : settings) file += name + "=" + v + "\n";
      result = run_provider({"init", "--config", dir_.write("hostile.env", file)}, clean_environment());
   }
   EXPECT_EQ(result.exit_code, 2) << result.err.substr(0, 4000);
   EXPECT_FALSE(has_raw_control_bytes(result.err)) << "raw control bytes in: " << result.err.substr(0, 4000);
   EXPECT_FALSE(has_raw_control_bytes(result.out));
   EXPECT_LT(result.err.size(), 64u * 1024) << "the value was echoed whole";
   for (const auto& option : options) {
      if (selects_plugins(option.name)) continue;
      bool named = false;
      for (const auto& line : lines_of(result.err)) {
         if (line.rfind("dokploy-provider: " + option.name + "=", 0) != 0) continue;
         named = true;
         if (option.secret) {
            EXPECT_EQ(line.rfind("dokploy-provider: " + option.name + "=(secret value hidden) ", 0), 0u)
               << "a secret's value was shown: " << line.substr(0, 200);
         }
      }
      // Text options carry any printable UTF-8 up to 4096 bytes; every other type, and every
      // value that is not printable text, is refused by name.
      if (!settings.count(option.name)) continue;
      const bool text = option.type == "string" || option.type == "path";
      if (!text || !accepted_as_text(value)) {
         EXPECT_TRUE(named) << option.name << " did not refuse " << hostile.name << ":\n"
            << result.err.substr(0, 4000);
      }
   }
}

// The options that choose plugins are tried through the environment: with the kinds of value an
// environment can carry (the others go through --config, above).
class SelectingOptionValues : public OptionValues {};

TEST_P(SelectingOptionValues, EachPluginSelectingOptionRefusesItByName) {
   int checked = 0;
   for (const HostileValue& hostile : hostile_values_of(GetParam())) {
      if (!env_capable(hostile)) continue;
      SCOPED_TRACE(hostile.kind + "_" + hostile.name);
      check_selecting_options(hostile);
      ++checked;
   }
   EXPECT_GT(checked, 0) << "instantiated for a kind none of whose values fits in an environment";
}

void OptionValues::check_selecting_options(const HostileValue& hostile) {
   const std::string value = with_canary(hostile.value, canary());
   for (const char* option : {"DOKPLOY_BACKEND", "DOKPLOY_SSH_TRANSPORT", "DOKPLOY_SSH_AUTH", "DOKPLOY_PLUGIN_PATH"}) {
      EnvMap env = clean_environment();
      env[option] = value;
      env["DOKPLOY_SERVER_URL"] = "http://127.0.0.1:9";
      env["DOKPLOY_API_TOKEN"] = "hostile-option-token";
      const ProcessResult result = run_provider({"init"}, env);
      // A plugin path that names no plugin file is not an error (the folder beside the binary
      // still holds the plugins): init then fails to reach the dead server.
      EXPECT_NE(result.exit_code, 0) << option << "=" << hostile.name << "\n" << result.err;
      EXPECT_FALSE(has_raw_control_bytes(result.err)) << option << ": " << result.err.substr(0, 2000);
      EXPECT_LT(result.err.size(), 64u * 1024);
      if (std::string(option) != "DOKPLOY_PLUGIN_PATH") {
         EXPECT_THAT(result.err, HasSubstr(option)) << result.err.substr(0, 2000);
      }
   }
   EXPECT_FALSE(file_exists(canary())) << "a value was executed";
}

INSTANTIATE_TEST_SUITE_P(Hostile, OptionValues, ::testing::ValuesIn(hostile_kinds()), kind_name);
INSTANTIATE_TEST_SUITE_P(Hostile, SelectingOptionValues,
                         ::testing::ValuesIn(hostile_kinds_where(env_capable)), kind_name);

}  // namespace
}  // namespace dpp::test::hostile

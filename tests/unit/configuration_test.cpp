// Resolving the configuration: where each value comes from (environment, config file, default),
// every problem reported at once, secrets never shown, and plugins handed only their options.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "errors.hpp"
#include "logging/logging.hpp"
#include "options/configuration.hpp"

namespace dpp::core {
namespace {

OptionSpec make_spec(const std::string& name, int32_t type, std::optional<std::string> default_value = {},
                     const std::string& owner = "host") {
   OptionSpec spec;
   spec.name = name;
   spec.description = "The " + name + " option.";
   spec.type = type;
   spec.default_value = std::move(default_value);
   spec.owner = owner;
   return spec;
}

std::vector<OptionSpec> specs() {
   OptionSpec token = make_spec("TEST_TOKEN", DPP_OPTION_STRING, {}, "test.plugin");
   token.secret = true;
   OptionSpec url = make_spec("TEST_URL", DPP_OPTION_URL, {}, "test.plugin");
   url.required = true;
   return {make_spec("TEST_MEMORY", DPP_OPTION_SIZE), make_spec("TEST_TIMEOUT", DPP_OPTION_DURATION, "10m"),
           make_spec("TEST_PORT", DPP_OPTION_PORT, {}, "test.plugin"), token, url};
}

// The problems a resolution reports (a test failure when it succeeds).
std::vector<std::string> problems_of(const Environment& env,
                                     const std::map<std::string, std::string>* file = nullptr) {
   try {
      resolve_configuration(specs(), env, file);
   } catch (const ConfigError& e) {
      EXPECT_EQ(e.exit_code(), kExitUsage);
      return e.problems();
   }
   ADD_FAILURE() << "the configuration was accepted";
   return {};
}

std::string joined(const std::vector<std::string>& lines) {
   std::string all;
   for (const auto& line : lines) all += line + "\n";
   return all;
}

bool contains(const std::string& text, const std::string& part) {
   return text.find(part) != std::string::npos;
}

TEST(Configuration, ValuesAreCanonicalAndDefaultsFillTheRest) {
   const auto config = resolve_configuration(
       specs(), Environment::from_map({{"TEST_URL", "https://d.example/"}, {"TEST_MEMORY", "1g"}}), nullptr);
   EXPECT_EQ(config.get("TEST_URL"), "https://d.example");
   EXPECT_EQ(config.get("TEST_MEMORY"), "1073741824");
   EXPECT_EQ(config.get("TEST_TIMEOUT"), "600000");
   EXPECT_EQ(config.get("TEST_PORT"), std::nullopt);
   EXPECT_EQ(config.get_u64("TEST_TIMEOUT", 1), 600000u);
   EXPECT_EQ(config.get_u64("TEST_PORT", 7), 7u);
}

TEST(Configuration, EmptyValueCountsAsUnsetAsDevpodSendsIt) {
   const auto config = resolve_configuration(
       specs(), Environment::from_map({{"TEST_URL", "https://d.example"}, {"TEST_TIMEOUT", ""}}), nullptr);
   EXPECT_EQ(config.get("TEST_TIMEOUT"), "600000");
}

TEST(Configuration, MissingRequiredOptionSaysWhatItIsAndWhatIsExpected) {
   const auto problems = problems_of(Environment::from_map({}));
   ASSERT_EQ(problems.size(), 1u);
   EXPECT_EQ(problems[0],
             "TEST_URL is not set: The TEST_URL option. Expected an http:// or https:// URL such as "
             "https://server.example.com.");
}

TEST(Configuration, EveryBadValueIsReportedAtOnceEachNamingItsOption) {
   const auto problems = problems_of(Environment::from_map({{"TEST_URL", "dokploy.example.com"},
                                                            {"TEST_MEMORY", "2x"},
                                                            {"TEST_TIMEOUT", "soon"},
                                                            {"TEST_PORT", "70000"}}));
   ASSERT_EQ(problems.size(), 4u) << joined(problems);
   const std::string all = joined(problems);
   EXPECT_TRUE(
       contains(all,
                "TEST_URL='dokploy.example.com' has no scheme (http:// or https://). Expected an http:// or "
                "https:// URL such as https://server.example.com."));
   EXPECT_TRUE(contains(all, "TEST_MEMORY='2x' is not a size. Expected a size such as 512m, 4g or 4GiB."));
   EXPECT_TRUE(contains(
       all, "TEST_TIMEOUT='soon' is not a duration. Expected a duration such as 90s, 10m or 1h30m."));
   EXPECT_TRUE(contains(all, "TEST_PORT='70000' is outside 1-65535. Expected a TCP port from 1 to 65535."));
}

TEST(Configuration, SummaryOfSeveralProblemsPointsToTheList) {
   try {
      resolve_configuration(specs(), Environment::from_map({{"TEST_MEMORY", "2x"}}), nullptr);
      ADD_FAILURE() << "accepted";
   } catch (const ConfigError& e) {
      EXPECT_STREQ(e.what(), "2 configuration problems (listed above)");
   }
}

TEST(Configuration, BadSecretIsReportedWithoutItsValue) {
   const std::string secret = "tok-3f9a\nc2e1";
   const auto problems =
       problems_of(Environment::from_map({{"TEST_URL", "https://d.example"}, {"TEST_TOKEN", secret}}));
   ASSERT_EQ(problems.size(), 1u);
   EXPECT_EQ(
       problems[0],
       "TEST_TOKEN=(secret value hidden) contains control characters (such as a newline). Expected text.");
   EXPECT_FALSE(contains(problems[0], "tok-3f9a"));
   EXPECT_FALSE(contains(problems[0], "c2e1"));
}

TEST(Configuration, HostileValuesAreShownShortAndEscaped) {
   const auto problems = problems_of(Environment::from_map({{"TEST_URL", std::string(10 * 1024, 'A')},
                                                            {"TEST_MEMORY", "4g\xff\xfe"},
                                                            {"TEST_PORT", "2\x1b[31m"}}));
   ASSERT_EQ(problems.size(), 3u) << joined(problems);
   const std::string all = joined(problems);
   EXPECT_TRUE(contains(all, "TEST_URL='" + std::string(60, 'A') +
                                 "… (10240 bytes)' is too long (10240 bytes; at most 4096)"));
   EXPECT_TRUE(contains(all, "TEST_MEMORY='4g\\xff\\xfe' is not valid UTF-8 text"));
   EXPECT_TRUE(contains(all, "TEST_PORT='2\\x1b[31m' contains control characters"));
   EXPECT_LT(all.size(), 1000u);
   for (char c : all)
      EXPECT_TRUE(c == '\n' || static_cast<unsigned char>(c) >= 0x20) << "control byte in output";
}

TEST(Configuration, EnvironmentWinsOverTheConfigFile) {
   const std::map<std::string, std::string> file = {{"TEST_URL", "https://from-file.example"},
                                                    {"TEST_MEMORY", "2g"}};
   const auto config = resolve_configuration(
       specs(), Environment::from_map({{"TEST_URL", "https://from-env.example"}}), &file);
   EXPECT_EQ(config.get("TEST_URL"), "https://from-env.example");
   EXPECT_EQ(config.get("TEST_MEMORY"), "2147483648");
}

TEST(Configuration, ConfigFileWinsOverTheDefault) {
   const std::map<std::string, std::string> file = {{"TEST_URL", "https://d.example"},
                                                    {"TEST_TIMEOUT", "90s"}};
   EXPECT_EQ(resolve_configuration(specs(), Environment::from_map({}), &file).get("TEST_TIMEOUT"), "90000");
}

TEST(Configuration, BadValueFromTheConfigFileSaysItCameFromThere) {
   const std::map<std::string, std::string> file = {{"TEST_URL", "https://d.example"},
                                                    {"TEST_MEMORY", "lots"}};
   const auto problems = problems_of(Environment::from_map({}), &file);
   ASSERT_EQ(problems.size(), 1u);
   EXPECT_TRUE(contains(problems[0], "TEST_MEMORY='lots'"));
   EXPECT_TRUE(contains(problems[0], "(from the config file)"));
}

TEST(Configuration, UnknownKeyInTheConfigFileIsAnErrorNamingIt) {
   const std::map<std::string, std::string> file = {{"TEST_URL", "https://d.example"}, {"TEST_MEMROY", "2g"}};
   const auto problems = problems_of(Environment::from_map({}), &file);
   ASSERT_EQ(problems.size(), 1u);
   EXPECT_TRUE(contains(problems[0], "the config file sets TEST_MEMROY, which no option"));
   EXPECT_TRUE(contains(problems[0], "dokploy-provider plugins"));
}

TEST(Configuration, UnknownNamesInTheEnvironmentAreIgnoredBecauseDevpodSetsMany) {
   EXPECT_NO_THROW(resolve_configuration(
       specs(),
       Environment::from_map({{"TEST_URL", "https://d.example"}, {"TEST_MEMROY", "x"}, {"PATH", "/bin"}}),
       nullptr));
}

TEST(Configuration, PluginViewHoldsOnlyThatPluginsOptionsThatAreSet) {
   const auto config = resolve_configuration(
       specs(),
       Environment::from_map(
           {{"TEST_URL", "https://d.example"}, {"TEST_MEMORY", "1k"}, {"TEST_TOKEN", "abcd1234"}}),
       nullptr);
   const auto view = config.plugin_options("test.plugin");
   const dpp_options* options = view.get();
   EXPECT_EQ(options->struct_size, sizeof(dpp_options));
   std::map<std::string, std::string> seen;
   for (uint32_t i = 0; i < options->count; ++i) seen[options->items[i].name] = options->items[i].value;
   EXPECT_EQ(seen, (std::map<std::string, std::string>{{"TEST_URL", "https://d.example"},
                                                       {"TEST_TOKEN", "abcd1234"}}));
   EXPECT_EQ(config.plugin_options("nobody").get()->count, 0u);
}

TEST(Configuration, SecretValuesAreMaskedInEveryLaterLogLineAndMessage) {
   const auto config = resolve_configuration(
       specs(), Environment::from_map({{"TEST_URL", "https://d.example"}, {"TEST_TOKEN", "tok-5be1-7d2c"}}),
       nullptr);
   EXPECT_EQ(config.secret_values(), std::vector<std::string>{"tok-5be1-7d2c"});
   for (const auto& secret : config.secret_values()) redact_in_logs(secret);
   EXPECT_EQ(redact("sent tok-5be1-7d2c twice: tok-5be1-7d2c"), "sent *** twice: ***");
}

}  // namespace
}  // namespace dpp::core

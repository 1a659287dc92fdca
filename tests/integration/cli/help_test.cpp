// The command line itself: --help for the program and every verb, and usage errors that exit 2
// with a line saying what to run instead.
#include <gmock/gmock.h>

#include <filesystem>

#include "cli_fixture.hpp"

namespace dpp::test::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const char* const kVerbs[] = {"init",   "create",  "delete",  "start",   "stop",
                              "status", "command", "version", "plugins", "doctor"};

TEST_F(CliTest, HelpListsEveryVerbOnStdoutAndExitsZero) {
   const auto result = run({"--help"});
   EXPECT_EQ(result.exit_code, 0);
   EXPECT_EQ(result.err, "");
   for (const char* verb : kVerbs) EXPECT_THAT(result.out, HasSubstr(std::string("  ") + verb + " ")) << verb;
}

TEST_F(CliTest, EveryVerbHasHelpThatExitsZeroWithoutDoingAnything) {
   for (const char* verb : kVerbs) {
      // Without any environment: --help must not need options, plugins or a machine.
      const auto result = run({verb, "--help"}, {{"MACHINE_ID", std::nullopt}, {"DOKPLOY_BACKEND", "none"}});
      EXPECT_EQ(result.exit_code, 0) << verb << ": " << result.err;
      EXPECT_THAT(result.out, HasSubstr(std::string("Usage: dokploy-provider ") + verb)) << verb;
      EXPECT_EQ(result.err, "") << verb;
   }
   EXPECT_FALSE(std::filesystem::exists(machine_folder())) << "--help touched the machine folder";
}

TEST_F(CliTest, NoVerbIsAUsageErrorPointingToHelp) {
   const auto result = run({});
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_EQ(result.out, "");
   EXPECT_EQ(last_line(result.err), "Run `dokploy-provider --help` for the verbs and options.");
}

TEST_F(CliTest, UnknownVerbIsAUsageErrorNamingIt) {
   const auto result = run({"destroy"});
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_THAT(result.err, HasSubstr("destroy"));
   EXPECT_EQ(last_line(result.err), "Run `dokploy-provider --help` for the verbs and options.");
}

TEST_F(CliTest, UnknownFlagIsAUsageErrorNamingIt) {
   const auto result = run({"status", "--colour"});
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_THAT(result.err, HasSubstr("--colour"));
   EXPECT_EQ(result.out, "");
}

TEST_F(CliTest, UnknownOutputFormatIsAUsageErrorListingTheFormats) {
   const auto result = run({"plugins", "--output", "yaml"});
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_THAT(result.err, HasSubstr("yaml not in {text,json}"));
}

TEST_F(CliTest, VersionNamesTheHostTheAbiAndThePlugins) {
   const auto result = run({"version"});
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_THAT(result.out, StartsWith("dokploy-provider "));
   EXPECT_THAT(result.out, HasSubstr("(plugin ABI 1.0)"));
   EXPECT_THAT(result.out, HasSubstr("test.fake 0.0.1 [backend,transport,auth] ABI 1.0"));
}

}  // namespace
}  // namespace dpp::test::cli

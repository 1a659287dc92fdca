// Reading `--config FILE`: the accepted syntax, and a problem naming the file and line for
// everything else, all of them at once.
#include <gtest/gtest.h>

#include "errors.hpp"
#include "options/config_file.hpp"
#include "support/temp_dir.hpp"

namespace dpp::core {
namespace {

std::vector<std::string> problems_of(const std::string& path) {
   try {
      read_config_file(path);
   } catch (const ConfigError& e) {
      EXPECT_EQ(e.exit_code(), kExitUsage);
      return e.problems();
   }
   ADD_FAILURE() << path << " was accepted";
   return {};
}

TEST(ConfigFile, ReadsNameValueLinesWithCommentsQuotesAndExport) {
   test::TempDir dir;
   const auto path = dir.write("provider.env",
                               "# the server\n"
                               "DOKPLOY_SERVER_URL=https://d.example\n"
                               "\n"
                               "   export DOKPLOY_MEMORY_LIMIT = 4g  \n"
                               "DOKPLOY_IMAGE=\"ubuntu:24.04\"\n"
                               "DOKPLOY_PROJECT='my project'\n"
                               "DOKPLOY_EMPTY=\n"
                               "DOKPLOY_EQUALS=a=b=c\n");
   const auto values = read_config_file(path);
   EXPECT_EQ(values, (std::map<std::string, std::string>{{"DOKPLOY_SERVER_URL", "https://d.example"},
                                                         {"DOKPLOY_MEMORY_LIMIT", "4g"},
                                                         {"DOKPLOY_IMAGE", "ubuntu:24.04"},
                                                         {"DOKPLOY_PROJECT", "my project"},
                                                         {"DOKPLOY_EMPTY", ""},
                                                         {"DOKPLOY_EQUALS", "a=b=c"}}));
}

TEST(ConfigFile, WindowsLineEndingsAreAccepted) {
   test::TempDir dir;
   const auto path = dir.write("provider.env", "A=1\r\nB=two\r\n");
   EXPECT_EQ(read_config_file(path), (std::map<std::string, std::string>{{"A", "1"}, {"B", "two"}}));
}

TEST(ConfigFile, EveryMalformedLineIsReportedWithFileAndLineNumber) {
   test::TempDir dir;
   const auto path = dir.write("provider.env",
                               "GOOD=1\n"
                               "just some words\n"
                               "lower_case=2\n"
                               "GOOD=3\n"
                               "=4\n");
   const auto problems = problems_of(path);
   ASSERT_EQ(problems.size(), 4u);
   EXPECT_EQ(problems[0], path + ":2: expected NAME=value");
   EXPECT_EQ(problems[1], path + ":3: 'lower_case' is not an option name (A-Z, 0-9 and _)");
   EXPECT_EQ(problems[2], path + ":4: GOOD is set twice");
   EXPECT_EQ(problems[3], path + ":5: '' is not an option name (A-Z, 0-9 and _)");
}

TEST(ConfigFile, BinaryJunkInANameIsShownEscaped) {
   test::TempDir dir;
   const auto path = dir.write("provider.env", std::string("BAD\x1b[2J\xff=1\n"));
   const auto problems = problems_of(path);
   ASSERT_EQ(problems.size(), 1u);
   EXPECT_EQ(problems[0], path + ":1: 'BAD\\x1b[2J\\xff' is not an option name (A-Z, 0-9 and _)");
}

TEST(ConfigFile, MissingFileSaysWhatToCheck) {
   test::TempDir dir;
   const auto problems = problems_of(dir.file("nope.env"));
   ASSERT_EQ(problems.size(), 1u);
   EXPECT_EQ(problems[0],
             "cannot read the config file " + dir.file("nope.env") + ": check the path and its permissions");
}

TEST(ConfigFile, EmptyFileHoldsNoValues) {
   test::TempDir dir;
   EXPECT_TRUE(read_config_file(dir.write("empty.env", "")).empty());
}

}  // namespace
}  // namespace dpp::core

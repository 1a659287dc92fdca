// Empty, malformed and hostile option values through the real binary: every problem of one run
// is listed at once, each on its own line naming the option, the run exits 2, and a secret's
// value never appears anywhere.
#include <gmock/gmock.h>

#include "cli_fixture.hpp"

namespace dpp::test::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST_F(CliTest, EveryBadValueIsReportedAtOnceEachOnItsOwnLine) {
   const auto result = run({"status"}, {{"FAKE_SERVER_URL", "dokploy.example.com"},
                                        {"FAKE_PORT", "70000"},
                                        {"DOKPLOY_MEMORY_LIMIT", "2x"},
                                        {"DOKPLOY_IMAGE", std::string(10 * 1024, 'i')},
                                        {"FAKE_DISK", "10\xff\xfe"}});
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_EQ(result.out, "");
   const auto lines = lines_of(result.err);
   ASSERT_EQ(lines.size(), 6u) << result.err;
   EXPECT_THAT(result.err,
               HasSubstr("dokploy-provider: FAKE_SERVER_URL='dokploy.example.com' has no scheme"));
   EXPECT_THAT(result.err,
               HasSubstr("dokploy-provider: FAKE_PORT='70000' is outside 1-65535. Expected a TCP port from "
                         "1 to 65535."));
   EXPECT_THAT(result.err, HasSubstr("dokploy-provider: DOKPLOY_MEMORY_LIMIT='2x' is not a size"));
   EXPECT_THAT(result.err, HasSubstr("dokploy-provider: DOKPLOY_IMAGE='iiii"));
   EXPECT_THAT(result.err, HasSubstr("is too long (10240 bytes; at most 4096)"));
   EXPECT_THAT(result.err, HasSubstr("dokploy-provider: FAKE_DISK='10\\xff\\xfe' is not valid UTF-8 text"));
   EXPECT_EQ(lines.back(),
             "dokploy-provider: status failed: 5 configuration problems (above); fix them and retry");
   EXPECT_LT(result.err.size(), 2000u) << "the 10 KB value was echoed";
}

TEST_F(CliTest, UrlWithoutSchemeIsRejectedWithWhatIsExpected) {
   const auto result = run({"status"}, {{"FAKE_SERVER_URL", "dokploy.example.com:3000"}});
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_EQ(
       last_line(result.err),
       "dokploy-provider: FAKE_SERVER_URL='dokploy.example.com:3000' has no scheme (http:// or https://). "
       "Expected an http:// or https:// URL such as https://server.example.com.");
}

TEST_F(CliTest, PortOptionThatIsNoTcpPortIsRejectedByTheHost) {
   const auto result = run({"create"}, {{"FAKE_PORT", "0"}});
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_EQ(last_line(result.err),
             "dokploy-provider: FAKE_PORT='0' is outside 1-65535. Expected a TCP port from 1 to 65535.");
}

TEST_F(CliTest, MemoryLimitWithAnUnknownUnitIsRejected) {
   const auto result = run({"create"}, {{"DOKPLOY_MEMORY_LIMIT", "2x"}});
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_EQ(last_line(result.err),
             "dokploy-provider: DOKPLOY_MEMORY_LIMIT='2x' is not a size. Expected a size "
             "such as 512m, 4g or 4GiB.");
}

TEST_F(CliTest, TenKilobyteValueIsRejectedWithoutBeingEchoed) {
   const auto result = run({"status"}, {{"FAKE_PROJECT", std::string(10 * 1024, 'p')}});
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_THAT(last_line(result.err), HasSubstr("… (10240 bytes)' is too long (10240 bytes; at most 4096)"));
   EXPECT_LT(result.err.size(), 400u);
}

TEST_F(CliTest, NonUtf8BytesAreRejectedAndShownEscaped) {
   const auto result = run({"status"}, {{"FAKE_PROJECT", "caf\xe9"}});
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_THAT(last_line(result.err), HasSubstr("FAKE_PROJECT='caf\\xe9' is not valid UTF-8 text"));
}

TEST_F(CliTest, TerminalEscapeSequencesInAValueAreNeverPrintedRaw) {
   const auto result = run({"status"}, {{"FAKE_PROJECT", "x\x1b]0;pwned\x07\x1b[2J"}});
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_EQ(result.err.find('\x1b'), std::string::npos);
   EXPECT_THAT(result.err, HasSubstr("contains control characters"));
}

TEST_F(CliTest, EmptyValueCountsAsUnsetAndTheDefaultApplies) {
   const auto result = run({"status"}, {{"FAKE_SERVER_URL", ""}, {"FAKE_STATE", ""}});
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "NotFound\n");
}

TEST_F(CliTest, MissingRequiredPluginOptionSaysWhatItIsFor) {
   const auto result = run({"status"}, {{"FAKE_PROJECT", std::nullopt}});
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_EQ(
       last_line(result.err),
       "dokploy-provider: FAKE_PROJECT is not set: Project the fake workspaces belong to. Expected text.");
}

TEST_F(CliTest, BadEnumValueListsTheAllowedOnes) {
   const auto result = run({"status"}, {{"FAKE_STATE", "sleeping"}});
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_THAT(last_line(result.err),
               HasSubstr("FAKE_STATE='sleeping' is not one of the allowed values. Expected one "
                         "of: recorded, running, busy, stopped, failed, not-found."));
}

TEST_F(CliTest, BadSecretIsReportedWithoutItsValue) {
   const std::string secret = "tok-91c4e7\n2b";
   const auto result = run({"status"}, {{"FAKE_TOKEN", secret}});
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_THAT(result.err, HasSubstr("FAKE_TOKEN=(secret value hidden) contains control characters"));
   EXPECT_THAT(result.err, Not(HasSubstr("tok-91c4e7")));
   EXPECT_THAT(result.err, Not(HasSubstr("2b\n")));
}

TEST_F(CliTest, GoodSecretNeverAppearsInAnyOutputEvenWhenTracing) {
   const std::string secret = "tok-5f0e2a9c71d34b86";
   for (const char* verb : {"create", "status", "init", "delete"}) {
      const auto result = run({"-vv", verb}, {{"FAKE_TOKEN", secret}, {"FAKE_SSH_PORT", "2200"}});
      EXPECT_THAT(result.out + result.err, Not(HasSubstr(secret))) << verb;
   }
   const auto failed = run({"-vv", "status"}, {{"FAKE_TOKEN", secret}, {"FAKE_FAIL", "remote"}});
   EXPECT_THAT(failed.out + failed.err, Not(HasSubstr(secret)));
}

TEST_F(CliTest, UnknownPluginIdSaysWhereItLookedAndWhatToRun) {
   const auto result = run({"status"}, {{"DOKPLOY_BACKEND", "com.example.nothing"}});
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_THAT(last_line(result.err), HasSubstr("DOKPLOY_BACKEND=com.example.nothing: no plugin with the id "
                                                "'com.example.nothing' was found in " +
                                                plugin_folder()));
   EXPECT_THAT(last_line(result.err), HasSubstr("Run `dokploy-provider plugins`"));
}

TEST_F(CliTest, BrokenPluginChosenByPathIsAConfigurationErrorNamingTheFile) {
   const std::string broken = copy_plugin(DPP_CLI_BROKEN_PLUGIN, "extra", "dpp-broken.so");
   const auto result = run({"status"}, {{"DOKPLOY_BACKEND", broken}});
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_THAT(last_line(result.err), HasSubstr(broken + ": was built for ABI 2.0"));
}

}  // namespace
}  // namespace dpp::test::cli

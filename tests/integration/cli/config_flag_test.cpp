// `--config FILE`: the same options from a file for use outside DevPod; the environment wins over
// the file; unknown keys and malformed lines are errors that name the file and line.
#include <gmock/gmock.h>

#include "cli_fixture.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::cli {
namespace {

using ::testing::HasSubstr;

class ConfigFile : public CliTest {
 protected:
   std::string write_config(const std::string& content) { return dir_.write("provider.env", content); }
   SshBanner banner_;
};

TEST_F(ConfigFile, OptionsComeFromTheFileWhenTheEnvironmentHasNone) {
   const auto file = write_config("# options for the fake backend\nFAKE_STATE=stopped\n");
   const auto result = run({"--config", file, "status"});
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "Stopped\n");
}

TEST_F(ConfigFile, EnvironmentWinsOverTheFile) {
   const auto file = write_config("FAKE_STATE=stopped\n");
   const auto result = run({"--config", file, "status"}, {{"FAKE_STATE", "busy"}});
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "Busy\n");
}

TEST_F(ConfigFile, EmptyEnvironmentValueDoesNotHideTheFilesValue) {
   const auto file = write_config("FAKE_STATE=stopped\n");
   const auto result = run({"--config", file, "status"}, {{"FAKE_STATE", ""}});
   EXPECT_EQ(result.out, "Stopped\n");
}

TEST_F(ConfigFile, FileCanChooseThePluginsAndHoldEveryOption) {
   const auto file = write_config(
       "DOKPLOY_BACKEND=test.fake\nDOKPLOY_SSH_TRANSPORT=test.fake\n"
       "DOKPLOY_SSH_AUTH=test.fake\nFAKE_PROJECT=from-file\nFAKE_STATE=running\n"
       "FAKE_SSH_PORT=" +
       std::to_string(banner_.port()) + "\nDOKPLOY_MEMORY_LIMIT=4g\n");
   const auto result = run({"--config", file, "status"}, {{"DOKPLOY_BACKEND", std::nullopt},
                                                          {"DOKPLOY_SSH_TRANSPORT", std::nullopt},
                                                          {"DOKPLOY_SSH_AUTH", std::nullopt},
                                                          {"FAKE_PROJECT", std::nullopt}});
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "Running\n");
}

TEST_F(ConfigFile, UnknownKeyIsAnErrorNamingIt) {
   const auto file = write_config("FAKE_STATE=stopped\nFAKE_STAET=busy\n");
   const auto result = run({"--config", file, "status"});
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_EQ(result.out, "");
   EXPECT_THAT(result.err, HasSubstr("the config file sets FAKE_STAET, which no option of the host or of the "
                                     "selected plugins is called"));
}

TEST_F(ConfigFile, OptionsOfEveryRoleAreKnownWhateverTheVerb) {
   // status loads only the backend, but a file written for create (with transport options) is
   // valid for every verb.
   const auto file = write_config("FAKE_TRANSPORT_FAIL=none\nDOKPLOY_SSH_CONNECT_TIMEOUT=30s\n");
   const auto result = run({"--config", file, "status"});
   EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST_F(ConfigFile, MalformedLinesAreAllReportedWithFileAndLine) {
   const auto file = write_config("FAKE_STATE=stopped\nthis is not an option\nlower=1\n");
   const auto result = run({"--config", file, "status"});
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_THAT(result.err, HasSubstr(file + ":2: expected NAME=value"));
   EXPECT_THAT(result.err, HasSubstr(file + ":3: 'lower' is not an option name"));
}

TEST_F(ConfigFile, BadValueInTheFileSaysItCameFromTheFile) {
   const auto file = write_config("DOKPLOY_MEMORY_LIMIT=2x\n");
   const auto result = run({"--config", file, "status"});
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_THAT(last_line(result.err), HasSubstr("DOKPLOY_MEMORY_LIMIT='2x' is not a size"));
   EXPECT_THAT(last_line(result.err), HasSubstr("(from the config file)"));
}

TEST_F(ConfigFile, MissingFileIsAUsageError) {
   const auto result = run({"--config", dir_.file("missing.env"), "status"});
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_EQ(last_line(result.err), "dokploy-provider: cannot read the config file " +
                                        dir_.file("missing.env") + ": check the path and its permissions");
}

TEST_F(ConfigFile, SecretInTheFileIsNeverShown) {
   const auto file = write_config("FAKE_TOKEN=\"tok-0d1e-file-secret\"\nFAKE_FAIL=remote\n");
   const auto result = run({"-vv", "--config", file, "status"});
   EXPECT_EQ(result.exit_code, 1);
   EXPECT_THAT(result.err, ::testing::Not(HasSubstr("tok-0d1e-file-secret")));
}

TEST_F(ConfigFile, PluginPathInTheFileFindsPluginsThere) {
   copy_plugin(DPP_CLI_FAKE_PLUGIN, "more-plugins", "dpp-test.fake.so");
   const auto file =
       write_config("DOKPLOY_PLUGIN_PATH=" + dir_.file("more-plugins") + "\nFAKE_STATE=stopped\n");
   const auto result = run({"--config", file, "plugins", "--output", "json"});
   // The same id in the prefix and in the extra folder: the second is reported, naming both.
   EXPECT_EQ(result.exit_code, 1);
   EXPECT_THAT(result.out, HasSubstr(dir_.file("more-plugins/dpp-test.fake.so")));
   EXPECT_THAT(result.out,
               HasSubstr("has the same id 'test.fake' as " + plugin_folder() + "/dpp-test.fake.so"));
}

}  // namespace
}  // namespace dpp::test::cli

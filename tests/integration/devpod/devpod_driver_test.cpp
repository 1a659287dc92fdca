// The DevPod driver itself, against a stub provider that records what it is given: the
// environment table per exec, the status rule, option resolution and DevPod's cancel.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <regex>

#include "support/devpod_driver.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::devpod {
namespace {

// A provider binary written in sh: records its environment, answers `status` with the content
// of a file, runs COMMAND for `command` and ends it on SIGINT (or, with STUB_IGNORE_INT,
// ignores SIGINT).
const char* kStubProvider = R"(#!/bin/sh
verb=$1
env > "$STUB_DIR/$verb.env"
case $verb in
  status) cat "$STUB_DIR/status-answer" ;;
  command)
    if [ -n "${STUB_IGNORE_INT:-}" ]; then trap '' INT; /bin/sh -c "$COMMAND"; exit $?; fi
    exec 3<&0  # a background job's stdin would be /dev/null
    /bin/sh -c "$COMMAND" <&3 3<&- &
    child=$!
    trap 'kill $child 2>/dev/null; exit 130' INT
    wait $child ;;
esac
)";

const char* kStubYaml = R"(name: stub
version: v1.2.3
options:
  STUB_DIR:
    description: where the stub writes
    required: true
  STUB_IGNORE_INT:
    description: ignore SIGINT in command
  STUB_GREETING:
    description: a default that uses another option and a binary
    default: hello from ${STUB_DIR} via ${STUB_PROVIDER}
  STUB_SIZE:
    description: a number
    type: number
    default: "3"
binaries:
  STUB_PROVIDER:
    - os: linux
      arch: ARCH
      path: PATH_OF_STUB
exec:
  init: EXEC${STUB_PROVIDER} init
  command: EXEC${STUB_PROVIDER} command
  create: EXEC${STUB_PROVIDER} create
  delete: EXEC${STUB_PROVIDER} delete
  start: EXEC${STUB_PROVIDER} start
  stop: EXEC${STUB_PROVIDER} stop
  status: EXEC${STUB_PROVIDER} status
)";

std::map<std::string, std::string> read_env(const std::string& path) {
   std::map<std::string, std::string> env;
   std::ifstream in(path);
   std::string line;
   while (std::getline(in, line)) {
      const auto equals = line.find('=');
      if (equals != std::string::npos) env[line.substr(0, equals)] = line.substr(equals + 1);
   }
   return env;
}

class DevPodDriverTest : public ::testing::Test {
 protected:
   void SetUp() override {
      const std::string stub = dir.write("stub-provider", kStubProvider, 0755);
      std::string yaml = kStubYaml;
      yaml.replace(yaml.find("ARCH"), 4, devpod_arch());
      yaml.replace(yaml.find("PATH_OF_STUB"), 12, stub);
      std::string without_exec = yaml;
      for (auto at = yaml.find("EXEC"); at != std::string::npos; at = yaml.find("EXEC"))
         yaml.replace(at, 4, "exec ");
      for (auto at = without_exec.find("EXEC"); at != std::string::npos; at = without_exec.find("EXEC"))
         without_exec.replace(at, 4, "");
      yaml_path = dir.write("provider.yaml", yaml);
      yaml_without_exec_path = dir.write("provider-without-exec.yaml", without_exec);
      dir.write("status-answer", "Running\n");
   }
   DevPodDriver driver(std::map<std::string, std::string> user = {}, bool debug = false,
                       bool with_exec = true) {
      if (!user.count("STUB_DIR")) user["STUB_DIR"] = dir.path();
      return DevPodDriver({.provider_yaml = with_exec ? yaml_path : yaml_without_exec_path,
                           .user_values = user,
                           .devpod_home = dir.path() + "/home/.devpod",
                           .debug = debug,
                           .shell = "sh"});
   }
   TempDir dir{"dpp-devpod-driver"};
   std::string yaml_path, yaml_without_exec_path;
};

}  // namespace

TEST(DevPodStatus, OnlyTheWholeTrimmedCaseInsensitiveWordCounts) {
   EXPECT_EQ(parse_status("Running\n"), Status::running);
   EXPECT_EQ(parse_status("  busy  "), Status::busy);
   EXPECT_EQ(parse_status("STOPPED"), Status::stopped);
   EXPECT_EQ(parse_status("NotFound\r\n"), Status::not_found);
   std::string error;
   EXPECT_EQ(parse_status("Running\nextra\n", &error), std::nullopt);
   EXPECT_NE(error.find("unrecognized status"), std::string::npos);
   EXPECT_EQ(parse_status("Not Found"), std::nullopt);
   EXPECT_EQ(parse_status(""), std::nullopt);
}

TEST(DevPodOptions, DefaultsExpandKnownVariablesAndLeaveOthersAsWritten) {
   const std::map<std::string, std::string> values = {{"A", "1"}, {"B", ""}};
   EXPECT_EQ(expand_variables("x ${A} $A ${B}y ${C} $c", values), "x 1 1 y ${C} $c");
   EXPECT_EQ(expand_variables("${A:-default}", values), "1");
   EXPECT_EQ(find_variables("${B} $A ${C:-x}"), (std::vector<std::string>{"A", "B", "C"}));
}

TEST(DevPodOptions, UserValuesAreCheckedLikeDevPodParseOptions) {
   ProviderOption number{.name = "N", .type = "number"};
   EXPECT_EQ(check_user_value(number, "42"), "");
   EXPECT_NE(check_user_value(number, "1.5"), "");
   ProviderOption boolean{.name = "B", .type = "boolean"};
   EXPECT_EQ(check_user_value(boolean, "True"), "");
   EXPECT_NE(check_user_value(boolean, "yes"), "");
   ProviderOption duration{.name = "D", .type = "duration"};
   for (const char* good : {"10s", "1h30m", "1.5h", "300ms", "0"})
      EXPECT_EQ(check_user_value(duration, good), "") << good;
   for (const char* bad : {"", "10", "1d", "m"}) EXPECT_NE(check_user_value(duration, bad), "") << bad;
   ProviderOption pattern{
       .name = "P", .validation_pattern = "^[a-z]+$", .validation_message = "letters only"};
   EXPECT_EQ(check_user_value(pattern, "abc"), "");
   EXPECT_EQ(check_user_value(pattern, "ab1"), "letters only");
   ProviderOption choice{.name = "E", .enum_values = {"a", "b"}};
   EXPECT_NE(check_user_value(choice, "c"), "");
}

TEST_F(DevPodDriverTest, ARequiredOptionWithoutValueIsRefusedAsDevPodDoes) {
   try {
      (void)DevPodDriver({.provider_yaml = yaml_path, .devpod_home = dir.path() + "/home/.devpod"});
      FAIL() << "no error";
   } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("option STUB_DIR is required, but no value provided"),
                std::string::npos)
          << e.what();
   }
}

TEST_F(DevPodDriverTest, OptionsResolveWithDefaultsExpandedAndEveryOptionPresent) {
   const auto d = driver();
   EXPECT_EQ(d.option_values().at("STUB_GREETING"),
             "hello from " + dir.path() + " via " + d.binary_paths().at("STUB_PROVIDER"));
   EXPECT_EQ(d.option_values().at("STUB_IGNORE_INT"), "");
   EXPECT_EQ(d.option_values().at("STUB_SIZE"), "3");
}

TEST_F(DevPodDriverTest, InitGetsOptionsAndBinariesButNoMachineOrDevPodVariables) {
   const auto d = driver();
   ASSERT_TRUE(d.init().ok());
   const auto env = read_env(dir.file("init.env"));
   EXPECT_EQ(env.at("STUB_DIR"), dir.path());
   EXPECT_EQ(env.at("STUB_PROVIDER"), dir.file("stub-provider"));
   EXPECT_TRUE(env.count("STUB_IGNORE_INT"));
   for (const char* absent :
        {"MACHINE_ID", "MACHINE_FOLDER", "MACHINE_CONTEXT", "MACHINE_PROVIDER", "DEVPOD", "DEVPOD_OS",
         "DEVPOD_ARCH", "PROVIDER_ID", "PROVIDER_FOLDER", "COMMAND", "DEVPOD_DEBUG"})
      EXPECT_FALSE(env.count(absent)) << absent;
}

TEST_F(DevPodDriverTest, MachineExecsGetDevPodsWholeTableAndCommandAlsoGetsCommand) {
   const auto d = driver({}, /*debug=*/true);
   const Machine machine = d.new_machine("Some Workspace!");
   EXPECT_LE(machine.id.size(), 16u);
   EXPECT_TRUE(std::regex_match(machine.id, std::regex("^[a-z0-9-]+$"))) << machine.id;
   struct stat info {};
   EXPECT_EQ(::stat(machine.folder.c_str(), &info), 0);
   ASSERT_TRUE(d.create(machine).ok());
   const auto env = read_env(dir.file("create.env"));
   EXPECT_EQ(env.at("MACHINE_ID"), machine.id);
   EXPECT_EQ(env.at("MACHINE_FOLDER"), machine.folder);
   EXPECT_EQ(env.at("MACHINE_CONTEXT"), "default");
   EXPECT_EQ(env.at("MACHINE_PROVIDER"), "stub");
   EXPECT_EQ(env.at("PROVIDER_ID"), "stub");
   EXPECT_EQ(env.at("PROVIDER_CONTEXT"), "default");
   EXPECT_EQ(env.at("PROVIDER_FOLDER"), d.provider_folder());
   EXPECT_EQ(env.at("DEVPOD_OS"), "linux");
   EXPECT_EQ(env.at("DEVPOD_ARCH"), devpod_arch());
   EXPECT_EQ(env.at("DEVPOD_DEBUG"), "true");
   EXPECT_FALSE(env.at("DEVPOD").empty());
   EXPECT_FALSE(env.count("COMMAND"));
   const std::string script = "printf '%s\\n' \"it's\" 'quoted'; cat";
   const ExecResult echoed = d.command(machine, script, "from stdin");
   ASSERT_TRUE(echoed.ok()) << echoed.describe();
   EXPECT_EQ(echoed.out, "it's\nquoted\nfrom stdin");
   EXPECT_EQ(read_env(dir.file("command.env")).at("COMMAND"), script);
   ASSERT_TRUE(d.remove(machine).ok());
   EXPECT_NE(::stat(machine.folder.c_str(), &info), 0) << "DevPod removes MACHINE_FOLDER after delete";
}

TEST_F(DevPodDriverTest, StatusWithAnExtraLineIsAnErrorLikeInDevPod) {
   const auto d = driver();
   const Machine machine = d.new_machine("status");
   EXPECT_EQ(d.status(machine).status, Status::running);
   dir.write("status-answer", "Running\nnoise\n");
   const StatusResult noisy = d.status(machine);
   EXPECT_EQ(noisy.status, std::nullopt);
   EXPECT_FALSE(noisy.error.empty());
}

TEST_F(DevPodDriverTest, CancelSendsSigintAndEscalatesToSigkillOnlyWhenIgnored) {
   const auto polite = driver();
   const Machine machine = polite.new_machine("cancel");
   auto session = polite.start_command(machine, "echo started; sleep 60");
   ASSERT_TRUE(session->read_until("started", 0, std::chrono::seconds(30)));
   session->cancel();
   const ExecResult stopped = session->wait(std::chrono::seconds(30));
   EXPECT_TRUE(stopped.cancelled);
   EXPECT_FALSE(stopped.needed_sigkill) << stopped.describe();

   const auto stubborn = driver({{"STUB_IGNORE_INT", "1"}});
   auto ignoring = stubborn.start_command(machine, "echo started; sleep 60");
   ASSERT_TRUE(ignoring->read_until("started", 0, std::chrono::seconds(30)));
   ignoring->cancel();
   const ExecResult killed = ignoring->wait(std::chrono::seconds(30));
   EXPECT_TRUE(killed.needed_sigkill) << killed.describe();
}

// Why provider.yaml's exec entries start with `exec`: DevPod signals the shell it started, and
// sh (dash) neither execs its last command nor acts on SIGINT while it waits for it.
TEST_F(DevPodDriverTest, WithoutExecTheShellKeepsDevPodsSigintFromTheProvider) {
   const auto d = driver({}, false, /*with_exec=*/false);
   const Machine machine = d.new_machine("no-exec");
   auto session = d.start_command(machine, "echo started; sleep 60");
   ASSERT_TRUE(session->read_until("started", 0, std::chrono::seconds(30)));
   session->cancel();
   const ExecResult result = session->wait(std::chrono::seconds(30));
   EXPECT_TRUE(result.needed_sigkill) << result.describe();
}

TEST_F(DevPodDriverTest, TheDevVariantPointsAtTheLocalBinaryWithoutChecksum) {
   const std::string variant = make_dev_variant(
       "name: x\nbinaries:\n  DOKPLOY_PROVIDER:\n    - os: linux\n      arch: amd64\n      path: "
       "https://x/y\n"
       "      checksum: abc\nexec:\n  init: a\n",
       "/opt/bin/dokploy-provider");
   const ProviderDefinition parsed = ProviderDefinition::parse(variant);
   ASSERT_EQ(parsed.binaries.at("DOKPLOY_PROVIDER").size(), 1u);
   EXPECT_EQ(parsed.binaries.at("DOKPLOY_PROVIDER")[0].path, "/opt/bin/dokploy-provider");
   EXPECT_EQ(parsed.binaries.at("DOKPLOY_PROVIDER")[0].checksum, "");
   EXPECT_EQ(parsed.exec.at("init"), "a");
}

}  // namespace dpp::test::devpod

// The out-of-tree example backend (sdk/examples/ssh-machine) built against the installed SDK and
// driven through the real host: the listing of its options, their validation, and its lifecycle
// with the CLI tests' fake transport and auth (which answer every SSH check without a network).
#include <gmock/gmock.h>

#include <nlohmann/json.hpp>

#include "cli_fixture.hpp"
#include "example_build.hpp"
#include "support/child_process.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::sdk_example {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* kHostKey =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJdD7y3aLq454yWBdwLWbieU1ebz9/cu7/QEXn9OIeZJ root@machine";

class SshMachine : public cli::CliTest {
 protected:
   void SetUp() override {
      const ExampleBuild& built = example_build();
      ASSERT_EQ(built.error, "");
   }
   // The environment of a DevPod provider that uses the example backend on the banner port.
   cli::EnvChanges machine(cli::EnvChanges more = {}) const {
      cli::EnvChanges env = {{"DOKPLOY_BACKEND", "org.example.ssh-machine"},
                             {"DOKPLOY_PLUGIN_PATH", example_build().plugin_folder},
                             {"SSH_MACHINE_HOST", "127.0.0.1"},
                             {"SSH_MACHINE_PORT", std::to_string(banner_.port())},
                             {"SSH_MACHINE_USER", "alice"},
                             {"SSH_MACHINE_HOST_KEY", kHostKey}};
      for (auto& [name, value] : more) env[name] = value;
      return env;
   }
   SshBanner banner_;
};

TEST_F(SshMachine, BuildsOutOfTreeAgainstTheInstalledSdkOnly) {
   const ExampleBuild& built = example_build();
   EXPECT_THAT(built.sdk_dir_used, StartsWith(built.sdk_prefix + "/")) << "the example found another SDK";
   EXPECT_TRUE(std::filesystem::exists(built.sdk_prefix + "/include/dpp/dpp.h"));
   EXPECT_TRUE(std::filesystem::exists(built.sdk_prefix + "/include/dpp/cpp/plugin.hpp"));
}

TEST_F(SshMachine, ExportsOnlyTheEntrySymbol) {
   EXPECT_EQ(exported_symbols(example_build().plugin_file), std::vector<std::string>{"dpp_get_plugin_entry"});
}

TEST_F(SshMachine, PluginsListsItWithTheOptionsItDeclares) {
   const auto result = run({"plugins", "--output", "json"}, machine());
   ASSERT_EQ(result.exit_code, 0) << result.err;
   const auto document = nlohmann::json::parse(result.out);
   const nlohmann::json* plugin = nullptr;
   for (const auto& item : document["plugins"])
      if (item["id"] == "org.example.ssh-machine") plugin = &item;
   ASSERT_NE(plugin, nullptr) << result.out;
   EXPECT_EQ((*plugin)["kinds"], nlohmann::json({"backend"}));
   EXPECT_EQ((*plugin)["file"], example_build().plugin_folder + "/dpp-org.example.ssh-machine.so");
   std::map<std::string, nlohmann::json> options;
   for (const auto& option : (*plugin)["options"]) options[option["name"]] = option;
   ASSERT_EQ(options.size(), 5u) << (*plugin)["options"].dump(2);
   EXPECT_EQ(options["SSH_MACHINE_HOST"]["type"], "host");
   EXPECT_EQ(options["SSH_MACHINE_HOST"]["required"], true);
   EXPECT_EQ(options["SSH_MACHINE_PORT"]["default"], "22");
   EXPECT_EQ(options["SSH_MACHINE_USER"]["required"], true);
   EXPECT_EQ(options["SSH_MACHINE_HOST_KEY"]["required"], true);
   EXPECT_EQ(options["SSH_MACHINE_TIMEOUT"]["type"], "duration");

   const auto text = run({"plugins"}, machine());
   EXPECT_THAT(text.out, HasSubstr("org.example.ssh-machine 1.0.0  kind: backend"));
   EXPECT_THAT(text.out, HasSubstr("    SSH_MACHINE_HOST (host, required)"));
}

TEST_F(SshMachine, MissingRequiredOptionsAreAllReportedAtOnce) {
   const auto result = run({"status"}, machine({{"SSH_MACHINE_HOST", std::nullopt},
                                                {"SSH_MACHINE_USER", std::nullopt},
                                                {"SSH_MACHINE_HOST_KEY", std::nullopt}}));
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_EQ(result.out, "");
   EXPECT_THAT(result.err, HasSubstr("SSH_MACHINE_HOST is not set: Host name or IP address of the machine."));
   EXPECT_THAT(result.err, HasSubstr("SSH_MACHINE_USER is not set"));
   EXPECT_THAT(result.err, HasSubstr("SSH_MACHINE_HOST_KEY is not set"));
   EXPECT_THAT(cli::last_line(result.err), HasSubstr("3 configuration problems"));
}

TEST_F(SshMachine, HostValidatesTheDeclaredTypes) {
   const auto result =
       run({"status"},
           machine({{"SSH_MACHINE_HOST", "ssh://build.example"}, {"SSH_MACHINE_PORT", "twenty-two"}}));
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_THAT(result.err,
               HasSubstr("SSH_MACHINE_HOST='ssh://build.example' must be a host name, not a URL"));
   EXPECT_THAT(result.err, HasSubstr("SSH_MACHINE_PORT='twenty-two' is not a port number"));
}

TEST_F(SshMachine, HostRefusesAPortOutsideTcpForThePlugin) {
   const auto result = run({"status"}, machine({{"SSH_MACHINE_PORT", "70000"}}));
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_THAT(cli::last_line(result.err),
               HasSubstr("dokploy-provider: SSH_MACHINE_PORT='70000' is outside 1-65535. "
                         "Expected a TCP port from 1 to 65535."));
}

TEST_F(SshMachine, PluginRefusesAHostKeyThatIsNotAPublicKeyLine) {
   const auto result = run(
       {"status"}, machine({{"SSH_MACHINE_HOST_KEY", "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s"}}));
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_THAT(cli::last_line(result.err),
               HasSubstr("SSH_MACHINE_HOST_KEY is not an OpenSSH public key line"));
}

TEST_F(SshMachine, PluginRefusesAnOddLoginName) {
   const auto result = run({"status"}, machine({{"SSH_MACHINE_USER", "-oProxyCommand=sh"}}));
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_THAT(cli::last_line(result.err),
               HasSubstr("SSH_MACHINE_USER='-oProxyCommand=sh' is not a login name"));
}

TEST_F(SshMachine, KnownHostsLineFromSshKeyscanIsAcceptedAsTheHostKey) {
   const auto result =
       run({"status"}, machine({{"SSH_MACHINE_HOST_KEY", std::string("build.example ") + kHostKey}}));
   EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST_F(SshMachine, StatusOfAMachineNeverCreatedIsNotFound) {
   const auto result = run({"status"}, machine());
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "NotFound\n");
}

TEST_F(SshMachine, DeleteOfAMachineNeverCreatedSucceeds) {
   const auto result = run({"delete"}, machine());
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "");
}

TEST_F(SshMachine, StopIsNotSupportedAndSaysSo) {
   const auto result = run({"stop"}, machine());
   EXPECT_EQ(result.exit_code, 1);
   EXPECT_EQ(result.out, "");
   EXPECT_THAT(cli::last_line(result.err),
               HasSubstr("stop failed: org.example.ssh-machine: stop is not supported by this backend"));
}

TEST_F(SshMachine, StartIsNotSupportedAndSaysSo) {
   const auto result = run({"start"}, machine());
   EXPECT_EQ(result.exit_code, 1);
   EXPECT_THAT(cli::last_line(result.err),
               HasSubstr("start failed: org.example.ssh-machine: start is not supported by this backend"));
}

TEST_F(SshMachine, CreateRecordsTheMachineAndHandsItsUserAndHostKeyToTheHost) {
   const auto created = run({"create"}, machine());
   ASSERT_EQ(created.exit_code, 0) << created.err;
   EXPECT_EQ(created.out, "DEVPOD_MACHINE_ID=m1\nDEVPOD_MACHINE_HOST=127.0.0.1\nDEVPOD_MACHINE_PORT=" +
                              std::to_string(banner_.port()) + "\nDEVPOD_MACHINE_USER=alice\n");
   // The one thing the person must do, with the key to add.
   EXPECT_THAT(created.err,
               HasSubstr("org.example.ssh-machine: to let DevPod log in, add this line to "
                         "~alice/.ssh/authorized_keys on 127.0.0.1: ssh-ed25519 AAAAC3NzaFakeClientKey"));
   const std::string state = dir_.read("machines/m1/dokploy-provider-state.json");
   EXPECT_THAT(state, HasSubstr("\"org.example.ssh-machine\""));
   EXPECT_THAT(state, HasSubstr("\"user\": \"alice\""));
   // The host pins the machine's key, not the fake auth's workspace key.
   EXPECT_THAT(
       state, HasSubstr("\"host_key\": \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJdD7y3aLq454yWBdwLWbieU1ebz9"));
   EXPECT_THAT(state, ::testing::Not(HasSubstr("FakeHostKey")));
}

TEST_F(SshMachine, RecordedMachineThatAnswersIsRunningAndOneThatDoesNotIsStoppedNeverNotFound) {
   ASSERT_EQ(run({"create"}, machine()).exit_code, 0);
   auto result = run({"status"}, machine());
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "Running\n");
   // The machine moved away from the port: recorded, silent, so Stopped (DevPod then calls start).
   const int silent = free_tcp_port();
   std::string state = dir_.read("machines/m1/dokploy-provider-state.json");
   const std::string port = "\"port\": \"" + std::to_string(banner_.port()) + "\"";
   ASSERT_NE(state.find(port), std::string::npos) << state;
   state.replace(state.find(port), port.size(), "\"port\": \"" + std::to_string(silent) + "\"");
   dir_.write("machines/m1/dokploy-provider-state.json", state);
   result = run({"status"}, machine());
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "Stopped\n");
}

TEST_F(SshMachine, CreateIsIdempotentAndDeleteForgetsTheMachine) {
   ASSERT_EQ(run({"create"}, machine()).exit_code, 0);
   ASSERT_EQ(run({"create"}, machine()).exit_code, 0);
   auto result = run({"delete"}, machine());
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_THAT(result.err, HasSubstr("forgot the machine alice@127.0.0.1:" + std::to_string(banner_.port())));
   EXPECT_EQ(run({"status"}, machine()).out, "NotFound\n");
}

TEST_F(SshMachine, CommandRunsThroughTheHostsTransportAsTheMachinesUser) {
   ASSERT_EQ(run({"create"}, machine()).exit_code, 0);
   const auto result = run({"command"}, machine({{"COMMAND", "echo on the machine; exit 5"}}));
   EXPECT_EQ(result.exit_code, 5) << result.err;
   EXPECT_EQ(result.out, "on the machine\n");
}

TEST_F(SshMachine, CreateFailsWithAnActionableMessageWhenTheMachineDoesNotAnswer) {
   const auto result = run({"create"}, machine({{"FAKE_TRANSPORT_FAIL", "connect"}}));
   EXPECT_EQ(result.exit_code, 1);
   EXPECT_EQ(result.out, "");
   EXPECT_THAT(cli::last_line(result.err), HasSubstr("does not answer SSH"));
   EXPECT_THAT(cli::last_line(result.err), HasSubstr("correct SSH_MACHINE_HOST and SSH_MACHINE_PORT"));
   EXPECT_EQ(run({"status"}, machine()).out, "NotFound\n") << "a failed create recorded the machine";
}

TEST_F(SshMachine, CreateRefusesAMachineThatPresentsAnotherHostKey) {
   const auto result = run({"create"}, machine({{"FAKE_TRANSPORT_FAIL", "host-key"}}));
   EXPECT_EQ(result.exit_code, 1);
   EXPECT_THAT(cli::last_line(result.err),
               HasSubstr("answers with another host key than SSH_MACHINE_HOST_KEY"));
}

TEST_F(SshMachine, InitChecksThatTheMachineAnswers) {
   auto result = run({"init"}, machine());
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_THAT(result.out,
               HasSubstr("machine reachable: 127.0.0.1:" + std::to_string(banner_.port()) + " answers SSH"));
   result = run({"init"}, machine({{"FAKE_TRANSPORT_FAIL", "connect"}}));
   EXPECT_EQ(result.exit_code, 1);
   EXPECT_THAT(cli::last_line(result.err), HasSubstr("machine reachable"));
}

}  // namespace
}  // namespace dpp::test::sdk_example

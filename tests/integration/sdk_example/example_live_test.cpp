// The example backend end to end against a real machine: an OpenSSH sshd started by the test,
// reached through the host's real transport (libssh2) and key auth plugins, as DevPod would use
// it: create, the key added on the machine, status Running, command, status Stopped when the
// machine is down, delete.
#include <gmock/gmock.h>

#include <filesystem>
#include <regex>

#include "cli_fixture.hpp"
#include "example_build.hpp"
#include "support/sshd_server.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::sdk_example {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class SshMachineLive : public cli::CliTest {
 protected:
   void SetUp() override {
      ASSERT_EQ(example_build().error, "");
      for (const char* plugin : {"dpp-libssh2.so", "dpp-key.so"})
         if (!fs::exists(plugin_dir() + "/" + plugin))
            DPP_SKIP(std::string(plugin) + " is not built in " + plugin_dir());
      if (auto reason = SshdServer::unavailable()) DPP_SKIP(*reason);
      // Copies with a safe mode, whatever the build's umask.
      libssh2_ = copy_plugin(plugin_dir() + "/dpp-libssh2.so", "host-plugins", "dpp-libssh2.so");
      key_ = copy_plugin(plugin_dir() + "/dpp-key.so", "host-plugins", "dpp-key.so");
   }

   cli::EnvChanges machine(const SshdServer& sshd, const std::string& host_key,
                           cli::EnvChanges more = {}) const {
      cli::EnvChanges env = {
          {"DOKPLOY_BACKEND", "org.example.ssh-machine"},
          {"DOKPLOY_SSH_TRANSPORT", "libssh2"},
          {"DOKPLOY_SSH_AUTH", "key"},
          {"DOKPLOY_PLUGIN_PATH", example_build().plugin_folder + ":" + libssh2_ + ":" + key_},
          {"SSH_MACHINE_HOST", "127.0.0.1"},
          {"SSH_MACHINE_PORT", std::to_string(sshd.port())},
          {"SSH_MACHINE_USER", sshd.user()},
          {"SSH_MACHINE_HOST_KEY", host_key}};
      for (auto& [name, value] : more) env[name] = value;
      return env;
   }

   // The key `create` told the person to add to authorized_keys.
   static std::string key_to_authorize(const std::string& log) {
      static const std::regex line(
          "add this line to ~[^ ]+/\\.ssh/authorized_keys on [^ ]+: (ssh-ed25519 [^\\n]+)");
      std::smatch match;
      if (!std::regex_search(log, match, line)) return "";
      return match[1];
   }

   std::string libssh2_, key_;
};

TEST_F(SshMachineLive, CreateStatusCommandAndDeleteAgainstARealSshd) {
   SshdServer first;  // the machine, before the person added DevPod's key
   auto created = run({"create"}, machine(first, first.host_public_key()));
   ASSERT_EQ(created.exit_code, 0) << created.err << "\nsshd:\n" << first.log();
   EXPECT_THAT(created.out, HasSubstr("DEVPOD_MACHINE_USER=" + first.user() + "\n"));
   const std::string key = key_to_authorize(created.err);
   ASSERT_FALSE(key.empty()) << created.err;

   // The person adds the key on the machine (here: the same sshd, same port and host key, now
   // with the key authorized).
   const std::string host_key_copy = dir_.file("machine_host_key");
   fs::copy_file(first.host_private_key_file(), host_key_copy);
   const int port = first.port();
   const std::string host_key = first.host_public_key();
   first.stop();
   SshdOptions options;
   options.port = port;
   options.host_key_file = host_key_copy;
   options.authorized_keys = {key};
   SshdServer machine_sshd(options);
   ASSERT_EQ(machine_sshd.host_public_key(), host_key);

   auto status = run({"status"}, machine(machine_sshd, host_key));
   EXPECT_EQ(status.exit_code, 0) << status.err;
   EXPECT_EQ(status.out, "Running\n");

   auto command =
       run({"command"}, machine(machine_sshd, host_key, {{"COMMAND", "echo hello from $(id -un); exit 3"}}));
   EXPECT_EQ(command.exit_code, 3) << command.err << "\nsshd:\n" << machine_sshd.log();
   EXPECT_EQ(command.out, "hello from " + machine_sshd.user() + "\n");

   auto stop = run({"stop"}, machine(machine_sshd, host_key));
   EXPECT_EQ(stop.exit_code, 1);
   EXPECT_THAT(cli::last_line(stop.err), HasSubstr("stop is not supported by this backend"));

   machine_sshd.stop();  // the machine goes down: recorded, so Stopped, never NotFound
   status = run({"status"}, machine(machine_sshd, host_key));
   EXPECT_EQ(status.exit_code, 0) << status.err;
   EXPECT_EQ(status.out, "Stopped\n");
   machine_sshd.restart();

   auto removed = run({"delete"}, machine(machine_sshd, host_key));
   EXPECT_EQ(removed.exit_code, 0) << removed.err;
   status = run({"status"}, machine(machine_sshd, host_key));
   EXPECT_EQ(status.out, "NotFound\n");
}

TEST_F(SshMachineLive, CreateRefusesAMachineWhoseHostKeyIsNotThePinnedOne) {
   SshdServer sshd;
   SshdServer other;  // only for a second, unrelated host key
   const auto result = run({"create"}, machine(sshd, other.host_public_key()));
   EXPECT_EQ(result.exit_code, 1);
   EXPECT_EQ(result.out, "");
   EXPECT_THAT(cli::last_line(result.err),
               HasSubstr("answers with another host key than SSH_MACHINE_HOST_KEY"));
   EXPECT_EQ(run({"status"}, machine(sshd, other.host_public_key())).out, "NotFound\n");
}

TEST_F(SshMachineLive, InitProvesTheMachineAnswersWithThePinnedKey) {
   SshdServer sshd;
   auto result = run({"init"}, machine(sshd, sshd.host_public_key()));
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_THAT(result.out, HasSubstr("machine reachable"));
   SshdServer other;
   result = run({"init"}, machine(sshd, other.host_public_key()));
   EXPECT_EQ(result.exit_code, 1);
   EXPECT_THAT(cli::last_line(result.err), HasSubstr("machine host key"));
}

TEST_F(SshMachineLive, CommandIsRefusedUntilThePersonAuthorizesTheKey) {
   SshdServer sshd;
   ASSERT_EQ(run({"create"}, machine(sshd, sshd.host_public_key())).exit_code, 0);
   const auto result = run({"command"}, machine(sshd, sshd.host_public_key(), {{"COMMAND", "true"}}));
   EXPECT_EQ(result.exit_code, 255);
   EXPECT_THAT(cli::last_line(result.err), HasSubstr("dokploy-provider: command failed: "));
}

}  // namespace
}  // namespace dpp::test::sdk_example

// The C example (sdk/examples/keyfile-auth): an auth strategy in plain C11, built out of tree
// against the installed SDK with only a C compiler, listed by the host, refusing what it cannot
// use by name, and logging DevPod in to a real OpenSSH server for the ssh-machine example backend.
#include <gmock/gmock.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_fixture.hpp"
#include "example_build.hpp"
#include "support/child_process.hpp"
#include "support/sshd_server.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::sdk_example {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string read_text(const std::string& path) {
   std::ifstream in(path);
   std::stringstream text;
   text << in.rdbuf();
   return text.str();
}

class KeyfileAuth : public cli::CliTest {
 protected:
   void SetUp() override { ASSERT_EQ(c_example_build().error, ""); }

   // A fresh unencrypted ed25519 key pair in the test's folder; returns the private key's path.
   std::string key_pair(const std::string& name) const {
      const std::string path = dir_.file(name);
      ProcessOptions keygen;
      keygen.argv = {"/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path};
      const ProcessResult result = run_process(keygen);
      EXPECT_EQ(result.exit_code, 0) << result.err;
      return path;
   }

   // The C plugin as the auth strategy, beside the fake backend and transport.
   cli::EnvChanges keyfile(cli::EnvChanges more = {}) const {
      cli::EnvChanges env = {{"DOKPLOY_SSH_AUTH", "org.example.keyfile"},
                             {"DOKPLOY_PLUGIN_PATH", c_example_build().plugin_folder}};
      for (auto& [name, value] : more) env[name] = value;
      return env;
   }
};

TEST_F(KeyfileAuth, BuildsWithOnlyACCompilerAndExportsOnlyTheEntrySymbol) {
   const ExampleBuild& built = c_example_build();
   EXPECT_TRUE(fs::exists(built.sdk_prefix + "/include/dpp/c/helpers.h"));
   EXPECT_EQ(exported_symbols(built.plugin_file), std::vector<std::string>{"dpp_get_plugin_entry"});
}

TEST_F(KeyfileAuth, PluginsListsItAsAnAuthStrategyWithItsOptions) {
   const auto result = run({"plugins", "--output", "json"}, keyfile());
   ASSERT_EQ(result.exit_code, 0) << result.err;
   const auto document = nlohmann::json::parse(result.out);
   const nlohmann::json* plugin = nullptr;
   for (const auto& item : document["plugins"])
      if (item["id"] == "org.example.keyfile") plugin = &item;
   ASSERT_NE(plugin, nullptr) << result.out;
   EXPECT_EQ((*plugin)["kinds"], nlohmann::json({"auth"}));
   EXPECT_EQ((*plugin)["abi"], "1.0");
   std::map<std::string, nlohmann::json> options;
   for (const auto& option : (*plugin)["options"]) options[option["name"]] = option;
   ASSERT_EQ(options.size(), 3u) << (*plugin)["options"].dump(2);
   EXPECT_EQ(options["KEYFILE_PRIVATE_KEY"]["type"], "path");
   EXPECT_EQ(options["KEYFILE_PRIVATE_KEY"]["required"], true);
   EXPECT_EQ(options["KEYFILE_HOST_KEY"]["group"], "ssh");
   EXPECT_EQ(options["KEYFILE_USER"]["default"], "devpod");
}

TEST_F(KeyfileAuth, AKeyFileThatCannotBeReadIsAConfigurationErrorNamingTheOption) {
   const auto result = run({"create"}, keyfile({{"KEYFILE_PRIVATE_KEY", dir_.file("missing/id_ed25519")},
                                                {"KEYFILE_HOST_KEY", key_pair("host_key")}}));
   EXPECT_EQ(result.exit_code, 2) << result.err;
   EXPECT_EQ(cli::last_line(result.err),
             "dokploy-provider: create failed: org.example.keyfile: KEYFILE_PRIVATE_KEY: cannot read " +
                 dir_.file("missing/id_ed25519.pub") + "; point it at an unencrypted OpenSSH key file");
}

TEST_F(KeyfileAuth, AMachineCreatedWithAnotherStrategyIsRefusedByName) {
   // Created with the fake auth strategy, so its state file exists without the key this plugin records.
   const auto created = run({"create"}, {{"FAKE_SSH_PORT", "2200"}});
   ASSERT_EQ(created.exit_code, 0) << created.err;
   const auto result = run({"command"}, keyfile({{"KEYFILE_PRIVATE_KEY", key_pair("id_ed25519")},
                                                 {"KEYFILE_HOST_KEY", key_pair("host_key")},
                                                 {"COMMAND", "true"}}));
   EXPECT_NE(result.exit_code, 0);
   EXPECT_THAT(cli::last_line(result.err),
               HasSubstr("org.example.keyfile: machine m1 was not created with org.example.keyfile"));
}

TEST_F(KeyfileAuth, LogsInToARealSshdWithTheKeyFileAndRefusesAnotherKeyLater) {
   const ExampleBuild& backend = example_build();
   ASSERT_EQ(backend.error, "");
   if (!fs::exists(plugin_dir() + "/dpp-libssh2.so"))
      DPP_SKIP("dpp-libssh2.so is not built in " + plugin_dir());
   if (auto reason = SshdServer::unavailable()) DPP_SKIP(*reason);
   const std::string libssh2 =
       copy_plugin(plugin_dir() + "/dpp-libssh2.so", "host-plugins", "dpp-libssh2.so");
   const std::string client_key = key_pair("id_ed25519");
   SshdOptions options;
   options.authorized_keys = {read_text(client_key + ".pub")};
   SshdServer sshd(options);
   const cli::EnvChanges machine =
       keyfile({{"DOKPLOY_BACKEND", "org.example.ssh-machine"},
                {"DOKPLOY_SSH_TRANSPORT", "libssh2"},
                {"DOKPLOY_PLUGIN_PATH",
                 backend.plugin_folder + ":" + c_example_build().plugin_folder + ":" + libssh2},
                {"SSH_MACHINE_HOST", "127.0.0.1"},
                {"SSH_MACHINE_PORT", std::to_string(sshd.port())},
                {"SSH_MACHINE_USER", sshd.user()},
                {"SSH_MACHINE_HOST_KEY", sshd.host_public_key()},
                {"KEYFILE_PRIVATE_KEY", client_key},
                {"KEYFILE_HOST_KEY", key_pair("host_key")}});

   const auto created = run({"create"}, machine);
   ASSERT_EQ(created.exit_code, 0) << created.err << "\nsshd:\n" << sshd.log();
   auto with = [&](cli::EnvChanges more) {
      cli::EnvChanges env = machine;
      for (auto& [name, value] : more) env[name] = value;
      return env;
   };
   const auto command = run({"command"}, with({{"COMMAND", "echo hello from $(id -un)"}}));
   EXPECT_EQ(command.exit_code, 0) << command.err << "\nsshd:\n" << sshd.log();
   EXPECT_EQ(command.out, "hello from " + sshd.user() + "\n");

   const std::string other_key = key_pair("other_ed25519");
   const auto refused = run({"command"}, with({{"COMMAND", "true"}, {"KEYFILE_PRIVATE_KEY", other_key}}));
   EXPECT_NE(refused.exit_code, 0);
   EXPECT_EQ(refused.out, "");
   EXPECT_THAT(cli::last_line(refused.err),
               HasSubstr("KEYFILE_PRIVATE_KEY=" + other_key + " is not the key machine m1 was created with"));
}

}  // namespace
}  // namespace dpp::test::sdk_example

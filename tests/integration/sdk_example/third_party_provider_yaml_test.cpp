// A third party's provider.yaml, made by dokploy-provider-yaml as installed with the SDK, for the
// out-of-tree example backend: the file DevPod reads declares the example's options, the host's
// and those of the transport and auth offered, and no Dokploy option; and DevPod's verbs, run
// through its exec lines as DevPod runs them, create, report and delete a machine with the
// shipped plugin file.
#include <gmock/gmock.h>

#include <set>

#include "cli_fixture.hpp"
#include "example_build.hpp"
#include "support/devpod_driver.hpp"
#include "support/devpod_provider.hpp"
#include "support/ssh_banner.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::sdk_example {
namespace {

using ::testing::HasSubstr;
using namespace dpp::test::devpod;

constexpr const char* kHostKey =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJdD7y3aLq454yWBdwLWbieU1ebz9/cu7/QEXn9OIeZJ root@machine";

class ThirdPartyProviderYaml : public cli::CliTest {
 protected:
   void SetUp() override { ASSERT_EQ(example_build().error, ""); }

   std::string yaml() const { return dir_.file("provider.yaml"); }

   // The generator as a third party runs it: the host beside it holds only the CLI tests' fake
   // plugin (a transport and an auth strategy, among others); the example ships as a binary (in
   // mode 0755, as DevPod installs its binaries).
   ProcessResult generate(const std::string& backend = "org.example.ssh-machine") const {
      const std::string target = devpod_os() + "/" + devpod_arch() + "=";
      const std::string plugin =
          copy_plugin(example_build().plugin_file, "shipped", "dpp-org.example.ssh-machine.so");
      return run_process(
          {.argv = {example_build().sdk_prefix + "/bin/dokploy-provider-yaml", "--provider", provider(),
                    "--backend", backend, "--binary", target + provider(), "--backend-binary",
                    target + plugin, "--output", yaml()},
           .env = EnvMap{{"PATH", "/usr/bin:/bin"}, {"HOME", dir_.path()}, {"LANG", "C.UTF-8"}}});
   }
};

TEST_F(ThirdPartyProviderYaml, DeclaresTheBackendsHostAndOfferedPluginsOptionsAndNoDokployOne) {
   const ProcessResult made = generate();
   ASSERT_EQ(made.exit_code, 0) << made.err;
   const ProviderDefinition provider = ProviderDefinition::load(yaml());
   EXPECT_EQ(provider.name, "ssh-machine");
   EXPECT_EQ(provider.version, "v1.0.0");
   for (const char* name : {"SSH_MACHINE_HOST", "SSH_MACHINE_USER", "SSH_MACHINE_HOST_KEY", "FAKE_PROJECT"}) {
      ASSERT_NE(provider.option(name), nullptr) << name;
      EXPECT_TRUE(provider.option(name)->required) << name;
   }
   for (const char* name : {"DOKPLOY_CREATE_TIMEOUT", "DOKPLOY_KEEP_FAILED", "DOKPLOY_SSH_CONNECT_TIMEOUT",
                            "DOKPLOY_PLUGIN_PATH", "DOKPLOY_SSH_TRANSPORT", "DOKPLOY_SSH_AUTH"})
      EXPECT_NE(provider.option(name), nullptr) << name << ", an option of the host, is missing";
   for (const char* name : {"DOKPLOY_SERVER_URL", "DOKPLOY_API_TOKEN", "DOKPLOY_SERVICE_TYPE"})
      EXPECT_EQ(provider.option(name), nullptr) << name << " belongs to the Dokploy backend, not chosen here";
   EXPECT_EQ(provider.option("DOKPLOY_BACKEND"), nullptr) << "the shipped plugin file is the backend";
   EXPECT_EQ(provider.option("DOKPLOY_SSH_TRANSPORT")->default_value, "test.fake")
       << "the host's default transport is not offered: the one offered is the default";
   EXPECT_EQ(provider.option("SSH_MACHINE_TIMEOUT")->type, "duration");
   EXPECT_EQ(provider.option("DOKPLOY_KEEP_FAILED")->type, "boolean");
}

TEST_F(ThirdPartyProviderYaml, HasTheStructureDevPodRequires) {
   ASSERT_EQ(generate().exit_code, 0);
   const ProviderDefinition provider = ProviderDefinition::load(yaml());
   std::set<std::string> known = {"MACHINE_ID", "MACHINE_FOLDER", "COMMAND"};
   for (const auto& option : provider.options) known.insert(option.name);
   for (const auto& [key, entries] : provider.binaries) {
      known.insert(key);
      ASSERT_FALSE(entries.empty()) << key;
      EXPECT_EQ(entries[0].os + "/" + entries[0].arch, devpod_os() + "/" + devpod_arch()) << key;
   }
   EXPECT_EQ(provider.binaries.size(), 2u);
   for (const char* verb : {"init", "command", "create", "delete", "start", "stop", "status"}) {
      ASSERT_TRUE(provider.exec.count(verb)) << verb;
      EXPECT_FALSE(provider.exec_is_list.at(verb)) << verb << ": a list would run without DevPod's shell";
      EXPECT_EQ(provider.exec.at(verb).rfind("exec ", 0), 0u) << verb << ": DevPod's SIGINT must reach it";
      for (const auto& name : find_variables(provider.exec.at(verb)))
         EXPECT_TRUE(known.count(name)) << verb << " uses ${" << name << "}, which DevPod never sets";
   }
   std::map<std::string, int> grouped;
   for (const auto& group : provider.option_groups)
      for (const auto& name : group.options) ++grouped[name];
   for (const auto& option : provider.options) {
      EXPECT_EQ(grouped[option.name], 1) << option.name << " must be in exactly one group";
      EXPECT_TRUE(option.type.empty() || option.type == "boolean" || option.type == "duration" ||
                  option.type == "number")
          << option.name << ": " << option.type;
      if (option.default_value) {
         EXPECT_EQ(check_user_value(option, *option.default_value), "") << option.name;
      }
   }
   std::map<std::string, std::string> required;
   for (const auto& option : provider.options)
      if (option.required) required[option.name] = "x";
   EXPECT_NO_THROW(resolve_options(provider, required)) << "DevPod cannot resolve the options";
}

TEST_F(ThirdPartyProviderYaml, DevPodsVerbsThroughItsExecLinesRunTheShippedBackend) {
   ASSERT_EQ(generate().exit_code, 0);
   SshBanner banner;  // the machine: SSH answers there
   // `devpod provider add -o …`: DevPod passes the provider only the options the file declares.
   DevPodDriver driver({.provider_yaml = yaml(),
                        .user_values = {{"SSH_MACHINE_HOST", "127.0.0.1"},
                                        {"SSH_MACHINE_PORT", std::to_string(banner.port())},
                                        {"SSH_MACHINE_USER", "alice"},
                                        {"SSH_MACHINE_HOST_KEY", kHostKey},
                                        {"FAKE_PROJECT", "third-party"}},
                        .devpod_home = dir_.file("devpod-home")});
   const ExecResult init = driver.init();
   ASSERT_EQ(init.exit_code, 0) << init.err;
   const Machine machine = driver.new_machine("third");
   EXPECT_EQ(driver.status(machine).status, Status::not_found);
   const ExecResult created = driver.create(machine);
   ASSERT_EQ(created.exit_code, 0) << created.err;
   EXPECT_THAT(created.out, HasSubstr("DEVPOD_MACHINE_USER=alice\n"));
   const StatusResult running = driver.status(machine);
   EXPECT_EQ(running.status, Status::running) << running.error << running.exec.err;
   const ExecResult deleted = driver.remove(machine);
   EXPECT_EQ(deleted.exit_code, 0) << deleted.err;
}

TEST_F(ThirdPartyProviderYaml, BackendThatIsNotInstalledIsRefusedNamingTheOnesFound) {
   const ProcessResult made = generate("com.example.missing");
   EXPECT_EQ(made.exit_code, 1);
   EXPECT_THAT(made.err, HasSubstr("no backend plugin with the id 'com.example.missing' was found"));
   EXPECT_THAT(made.err, HasSubstr("org.example.ssh-machine"));
}

}  // namespace
}  // namespace dpp::test::sdk_example

// As root, real workspaces (the emulator's workspace runner: a Debian root filesystem running the
// real bootstrap and sshd): a whole lifecycle through each transport with each auth strategy while
// every process's argv, and the environment of every process the provider starts, is sampled for
// the token, the password and the private keys; a hostile COMMAND reaches the workspace's `sh`
// byte for byte; and the workspace refuses root logins, refuses passwords when the key strategy is
// used, and is reached only with its pinned host key.
#include <gmock/gmock.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "secrets_fixture.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::secrets {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

struct Combination {
   std::string transport;
   std::string auth;
};

void PrintTo(const Combination& c, std::ostream* out) {
   *out << c.transport << "/" << c.auth;
}

std::string missing_requirement(const Combination& c) {
   if (!running_as_root()) return "real workspaces need root (the emulator's workspace runner)";
   for (const std::string& plugin :
        std::vector<std::string>{"dpp-dokploy.so", "dpp-" + c.transport + ".so", "dpp-" + c.auth + ".so"})
      if (!hostile::file_exists(plugin_dir() + "/" + plugin)) return plugin + " is not built";
   for (const char* tool : {"/usr/bin/ssh", "/usr/bin/sshpass", "/usr/bin/ssh-keyscan"})
      if (!hostile::file_exists(tool)) return std::string(tool) + " is missing";
   return "";
}

class RealWorkspace : public ::testing::TestWithParam<Combination> {
 protected:
   void SetUp() override {
      const std::string missing = missing_requirement(GetParam());
      if (!missing.empty()) DPP_SKIP(missing);
      workspace_emulator().reset();
   }
   void TearDown() override {
      if (!folder_.empty()) run_provider({"delete"}, environment());
   }

   EnvMap environment() const {
      EnvMap env = clean_environment();
      env["DOKPLOY_SERVER_URL"] = workspace_emulator().url();
      env["DOKPLOY_API_TOKEN"] = workspace_emulator().token();
      env["DOKPLOY_SERVICE_TYPE"] = "compose";
      env["DOKPLOY_DOCKER_IN_WORKSPACE"] = "false";
      env["DOKPLOY_SSH_PORT_RANGE"] = "45200-45299";
      env["DOKPLOY_POLL_INTERVAL"] = "250ms";
      env["DOKPLOY_SSH_TRANSPORT"] = GetParam().transport;
      env["DOKPLOY_SSH_AUTH"] = GetParam().auth;
      env["MACHINE_ID"] = "secret-" + GetParam().transport.substr(0, 3) + "-" + GetParam().auth.substr(0, 3);
      env["MACHINE_FOLDER"] = folder_;
      return env;
   }

   // Runs an ssh client of the test's own (not the provider's) against the workspace.
   ProcessResult raw_ssh(const std::string& user, const std::vector<std::string>& options,
                         const std::string& password = "") const {
      const nlohmann::json state = nlohmann::json::parse(read_file(folder_ + "/dokploy-provider-state.json"));
      std::vector<std::string> argv;
      EnvMap env = clean_environment();
      if (!password.empty()) {
         argv = {"/usr/bin/sshpass", "-e"};
         env["SSHPASS"] = password;
      }
      argv.insert(argv.end(), {"/usr/bin/ssh", "-F", "none", "-o", "StrictHostKeyChecking=no", "-o",
                               "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=10", "-p",
                               std::to_string(state["endpoint"]["port"].get<int>()), "-l", user});
      argv.insert(argv.end(), options.begin(), options.end());
      argv.insert(argv.end(), {state["endpoint"]["host"].get<std::string>(), "true"});
      return run_process({.argv = argv, .env = env}, std::chrono::seconds(60));
   }

   std::string folder_;
   TempDir dir_{"dpp-secret-real"};
};

TEST_P(RealWorkspace, LifecycleLeaksNoSecretAndTheWorkspaceIsLockedDown) {
   folder_ = dir_.file("machine");
   const EnvMap env = environment();
   const std::string provider = std::filesystem::weakly_canonical(provider_path()).string();
   SecretSet secrets;
   secrets.add("API token", workspace_emulator().token());

   {
      ProcessSecretWatch watch(secrets,
                               {.parent_executable = provider, .ignore = {workspace_emulator().pid()}});
      const ProcessResult created = run_provider({"create", "-vv"}, env);
      ASSERT_EQ(created.exit_code, 0) << created.err;
      EXPECT_THAT(findings_in(secrets, "create", created), IsEmpty());
      EXPECT_THAT(watch.stop(), IsEmpty());
   }
   add_machine_secrets(secrets, folder_);
   ProcessSecretWatch watch(secrets, {.parent_executable = provider, .ignore = {workspace_emulator().pid()}});
   const std::string hostile = "printf '%s' \"it's \\\"quoted\\\" \\$HOME \\`id\\` \\$(id) \\${X} ! %% #\"\n";
   std::vector<std::pair<std::string, std::vector<std::string>>> steps = {
       {"status", {"status"}},
       {"whoami", {"command", "id -un", "-vv"}},
       {"hostile", {"command", hostile}},
       {"stop", {"stop", "-vv"}},
       {"start", {"start", "-vv"}},
       {"again", {"command", "echo again", "--log-format", "json", "-vv"}},
   };
   for (const auto& [name, args] : steps) {
      EnvMap step_env = env;
      if (name == "again") step_env["DEVPOD_DEBUG"] = "true";
      const ProcessResult result = run_provider(args, step_env);
      EXPECT_EQ(result.exit_code, 0) << name << ": " << result.err;
      EXPECT_THAT(findings_in(secrets, name, result), IsEmpty());
      if (name == "whoami") {
         EXPECT_EQ(result.out, "devpod\n");
      }
      if (name == "hostile") {
         EXPECT_EQ(result.out, "it's \"quoted\" $HOME `id` $(id) ${X} ! %% #");
      }
   }
   const auto findings = watch.stop();
   EXPECT_THAT(findings, IsEmpty());
   // No file the provider or its ssh left behind holds a secret: the machine folder (but for the
   // private files themselves) and the system transport's private folder.
   EXPECT_THAT(findings_in_machine_folder(secrets, folder_), IsEmpty());
   for (const std::string& transport_folder :
        {std::string(std::getenv("XDG_RUNTIME_DIR") ? std::getenv("XDG_RUNTIME_DIR") : "/nonexistent") +
             "/dokploy-provider",
         "/tmp/dpp-" + std::to_string(::getuid())})
      EXPECT_THAT(secrets.find_in_tree(transport_folder), IsEmpty());
   if (GetParam().transport == "system") {
      // The system transport runs ssh (and sshpass): they were sampled while they ran.
      const auto names = watch.children_names();
      EXPECT_TRUE(names.count("ssh")) << "no ssh child was seen: the sampling proves nothing";
   }

   // Root never logs in, with the machine's own credentials or any other.
   std::string password;
   if (GetParam().auth == "password") {
      password = read_file(folder_ + "/ssh-password");
      while (!password.empty() && password.back() == '\n') password.pop_back();
   }
   const std::vector<std::string> key = {
       "-o", "BatchMode=" + std::string(password.empty() ? "yes" : "no"),     "-o", "IdentitiesOnly=yes",
       "-i", GetParam().auth == "key" ? folder_ + "/id_ed25519" : "/dev/null"};
   const ProcessResult as_user = raw_ssh("devpod", key, password);
   EXPECT_EQ(as_user.exit_code, 0) << "the machine's credentials do not work for devpod: " << as_user.err;
   const ProcessResult as_root = raw_ssh("root", key, password);
   EXPECT_NE(as_root.exit_code, 0) << "root logged in";
   EXPECT_THAT(as_root.err, HasSubstr("Permission denied"));
   if (GetParam().auth == "key") {
      // The key strategy offers publickey only: no password can ever be tried.
      const ProcessResult by_password = raw_ssh(
          "devpod",
          {"-o", "PreferredAuthentications=password,keyboard-interactive", "-o", "PubkeyAuthentication=no"},
          "not-the-password-" + random_hex(8));
      EXPECT_NE(by_password.exit_code, 0);
      EXPECT_THAT(by_password.err, HasSubstr("Permission denied (publickey)"));
   }

   // The host key is pinned: the workspace presents the machine's key, and a provider whose
   // state pins another key refuses to talk to it.
   const ProcessResult scanned =
       run_process({.argv = {"/usr/bin/ssh-keyscan", "-t", "ed25519", "-p",
                             std::to_string(nlohmann::json::parse(read_file(
                                 folder_ + "/dokploy-provider-state.json"))["endpoint"]["port"]
                                                .get<int>()),
                             "127.0.0.1"}});
   const std::string pinned =
       nlohmann::json::parse(read_file(folder_ + "/dokploy-provider-state.json"))["endpoint"]["host_key"];
   const std::string pinned_key =
       pinned.substr(0, pinned.find(' ', pinned.find(' ') + 1));  // "<type> <base64>"
   EXPECT_THAT(scanned.out, HasSubstr(pinned_key)) << "the workspace presents another host key";
   nlohmann::json state = nlohmann::json::parse(read_file(folder_ + "/dokploy-provider-state.json"));
   const std::string real_key = state["endpoint"]["host_key"];
   // RFC 8032's test key: a valid ed25519 key that is not this workspace's.
   state["endpoint"]["host_key"] =
       "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINdamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea";
   dir_.write("machine/dokploy-provider-state.json", state.dump(2));
   const ProcessResult mismatch = run_provider({"command", "echo should-not-run"}, env);
   EXPECT_EQ(mismatch.exit_code, 255) << mismatch.err;
   EXPECT_EQ(mismatch.out, "");
   EXPECT_THAT(mismatch.err, ::testing::AnyOf(HasSubstr("host key"), HasSubstr("HOST KEY")));
   state["endpoint"]["host_key"] = real_key;
   dir_.write("machine/dokploy-provider-state.json", state.dump(2));
}

INSTANTIATE_TEST_SUITE_P(Combinations, RealWorkspace,
                         ::testing::Values(Combination{"libssh2", "key"}, Combination{"system", "key"},
                                           Combination{"libssh2", "password"},
                                           Combination{"system", "password"}),
                         [](const ::testing::TestParamInfo<Combination>& test_info) {
                            return test_info.param.transport + "_" + test_info.param.auth;
                         });

}  // namespace
}  // namespace dpp::test::secrets

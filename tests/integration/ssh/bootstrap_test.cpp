// The provider's workspace bootstrap (core/workspace/workspace-bootstrap.sh) in a real Debian
// rootfs, and both transports logging in to the sshd it started: with the packages already in
// the image and installed from the mirror, with a key and with a password, after a restart;
// root and (for the key strategy) passwords are refused.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "runner_workspace.hpp"
#include "support/test_paths.hpp"
#include "test_credentials.hpp"
#include "transport_harness.hpp"

namespace dpp::test {
namespace {

using namespace std::chrono_literals;

// The bare image installs openssh-server from the mirror first: the first login waits for it.
constexpr uint32_t kFirstLoginTimeoutMs = 600'000;

class Credentials {
 public:
   Credentials() : dir_("dpp-bootstrap") {
      host_key = make_key_pair(dir_, "ssh_host_ed25519_key");
      client_key = make_key_pair(dir_, "id_ed25519");
   }
   const TempDir& dir() const { return dir_; }
   TestKeyPair host_key;
   TestKeyPair client_key;

 private:
   TempDir dir_;
};

TargetSpec key_target(const RunnerWorkspace& workspace, const Credentials& credentials) {
   TargetSpec target;
   target.port = static_cast<uint16_t>(workspace.port());
   target.host_key = credentials.host_key.public_line;
   target.login.user = "devpod";
   target.login.private_key_file = credentials.client_key.private_file;
   target.login.public_key_file = credentials.client_key.public_file;
   target.connect_timeout_ms = kFirstLoginTimeoutMs;
   return target;
}

class BootstrapImageTest : public ::testing::TestWithParam<std::string> {
 protected:
   void SetUp() override {
      if (auto reason = RunnerWorkspace::unavailable()) DPP_SKIP(*reason);
   }
};

TEST_P(BootstrapImageTest, BothTransportsLogInWithTheKey) {
   Credentials credentials;
   BootstrapEnv env;
   env.authorized_key = credentials.client_key.public_line;
   env.host_key_file = credentials.host_key.private_file;
   RunnerWorkspace workspace(GetParam(), env);
   const auto started = std::chrono::steady_clock::now();
   for (const char* plugin : {"libssh2", "system"}) {
      LoadedTransport transport(plugin);
      ASSERT_TRUE(transport.created()) << transport.create_message();
      const RunOutcome run = transport.run(key_target(workspace, credentials),
                                           "id -un; sudo -n id -u; command -v curl", "", 900s);
      ASSERT_EQ(run.status, DPP_OK) << run.message << "\nworkspace log:\n" << workspace.log();
      EXPECT_EQ(run.out, "devpod\n0\n/usr/bin/curl\n") << run.err;
      EXPECT_EQ(run.exit_code, 0);
      std::string message;
      EXPECT_EQ(transport.probe(key_target(workspace, credentials), 10'000, &message), DPP_OK) << message;
      std::printf("[bootstrap] %s: %s logged in %.1f s after the workspace started\n", GetParam().c_str(),
                  plugin, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
   }
}

TEST_P(BootstrapImageTest, BothTransportsLogInWithThePassword) {
   Credentials credentials;
   const TestPassword password = make_password();
   BootstrapEnv env;
   env.password_hash = password.hash;
   env.host_key_file = credentials.host_key.private_file;
   RunnerWorkspace workspace(GetParam(), env);
   for (const char* plugin : {"libssh2", "system"}) {
      LoadedTransport transport(plugin);
      ASSERT_TRUE(transport.created()) << transport.create_message();
      TargetSpec target = key_target(workspace, credentials);
      target.login = LoginSpec{DPP_CREDENTIAL_PASSWORD, "devpod", "", "", password.password};
      const RunOutcome run = transport.run(target, "id -un", "", 900s);
      ASSERT_EQ(run.status, DPP_OK) << run.message << "\nworkspace log:\n" << workspace.log();
      EXPECT_EQ(run.out, "devpod\n");
      // The password strategy accepts no key.
      TargetSpec with_key = key_target(workspace, credentials);
      const RunOutcome refused = transport.run(with_key, "true");
      EXPECT_EQ(refused.status, DPP_E_AUTH) << plugin << ": " << refused.message;
   }
}

INSTANTIATE_TEST_SUITE_P(Images, BootstrapImageTest,
                         ::testing::Values("debian:bookworm", "debian:bookworm-bare"),
                         [](const ::testing::TestParamInfo<std::string>& image) {
                            return image.param.find("bare") != std::string::npos ? std::string("Bare")
                                                                                 : std::string("Full");
                         });

class BootstrapTest : public ::testing::Test {
 protected:
   void SetUp() override {
      if (auto reason = RunnerWorkspace::unavailable()) DPP_SKIP(*reason);
   }
};

TEST_F(BootstrapTest, KeyWorkspaceRefusesRootAndPasswordLogins) {
   Credentials credentials;
   BootstrapEnv env;
   env.authorized_key = credentials.client_key.public_line;
   env.host_key_file = credentials.host_key.private_file;
   RunnerWorkspace workspace("debian:bookworm", env);
   LoadedTransport transport("libssh2");
   ASSERT_TRUE(transport.created()) << transport.create_message();
   const TargetSpec devpod = key_target(workspace, credentials);
   // Give root the very key that works for devpod, and devpod a password: neither may log in.
   const TestPassword password = make_password();
   const RunOutcome setup = transport.run(
       devpod,
       "sudo -n sh -c 'mkdir -p /root/.ssh && cp \"$1\" /root/.ssh/authorized_keys && chmod 600 "
       "/root/.ssh/authorized_keys' sh \"$HOME/.ssh/authorized_keys\" && sudo -n chpasswd",
       "devpod:" + password.password + "\n");
   ASSERT_EQ(setup.status, DPP_OK) << setup.message;
   ASSERT_EQ(setup.exit_code, 0) << setup.err;

   for (const char* plugin : {"libssh2", "system"}) {
      LoadedTransport each(plugin);
      TargetSpec root = devpod;
      root.login.user = "root";
      const RunOutcome as_root = each.run(root, "id -u");
      EXPECT_EQ(as_root.status, DPP_E_AUTH) << plugin << ": " << as_root.message;
      EXPECT_EQ(as_root.out, "");
      TargetSpec with_password = devpod;
      with_password.login = LoginSpec{DPP_CREDENTIAL_PASSWORD, "devpod", "", "", password.password};
      const RunOutcome by_password = each.run(with_password, "id -u");
      EXPECT_EQ(by_password.status, DPP_E_AUTH) << plugin << ": " << by_password.message;
   }
}

TEST_F(BootstrapTest, RestartedWorkspaceComesUpAgain) {
   Credentials credentials;
   BootstrapEnv env;
   env.authorized_key = credentials.client_key.public_line;
   env.host_key_file = credentials.host_key.private_file;
   RunnerWorkspace workspace("debian:bookworm", env, /*restartable=*/true);
   LoadedTransport transport("libssh2");
   ASSERT_TRUE(transport.created()) << transport.create_message();
   const RunOutcome first = transport.run(key_target(workspace, credentials), "echo kept > marker; id -u");
   ASSERT_EQ(first.status, DPP_OK) << first.message << "\n" << workspace.log();
   const auto restarted = std::chrono::steady_clock::now();
   workspace.restart();
   // Same filesystem: the bootstrap runs again over its own earlier work (user, keys, config).
   for (const char* plugin : {"libssh2", "system"}) {
      LoadedTransport each(plugin);
      const RunOutcome again =
          each.run(key_target(workspace, credentials), "cat marker; id -u; sudo -n true");
      ASSERT_EQ(again.status, DPP_OK) << plugin << ": " << again.message << "\n" << workspace.log();
      EXPECT_EQ(again.out, "kept\n" + first.out);
      EXPECT_EQ(again.exit_code, 0) << again.err;
   }
   std::printf("[bootstrap] logged in again %.1f s after the restart began\n",
               std::chrono::duration<double>(std::chrono::steady_clock::now() - restarted).count());
   const std::string log = workspace.log();
   EXPECT_NE(log.find("stage 1/5: openssh-server, sudo and curl are present"), std::string::npos) << log;
}

}  // namespace
}  // namespace dpp::test

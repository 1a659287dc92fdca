// What the transports declare and refuse before connecting: their options, a missing ssh or
// sshpass, a private key others can read; and the system transport's connection reuse.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>

#include "support/sshd_server.hpp"
#include "support/test_paths.hpp"
#include "test_credentials.hpp"
#include "transport_harness.hpp"

namespace dpp::test {
namespace {

bool contains(const std::vector<std::string>& names, const std::string& name) {
   return std::find(names.begin(), names.end(), name) != names.end();
}

TEST(TransportOptions, Libssh2DeclaresItsKeepalive) {
   LoadedTransport transport("libssh2");
   EXPECT_TRUE(contains(transport.option_names(), "DOKPLOY_SSH_KEEPALIVE"));
}

TEST(TransportOptions, SystemDeclaresKeepaliveReuseAndProgram) {
   LoadedTransport transport("system");
   const auto names = transport.option_names();
   for (const char* name :
        {"DOKPLOY_SSH_KEEPALIVE", "DOKPLOY_SSH_REUSE", "DOKPLOY_SSH_REUSE_IDLE", "DOKPLOY_SSH_PROGRAM"})
      EXPECT_TRUE(contains(names, name)) << name;
}

TEST(TransportOptions, SystemWithoutAnSshClientIsAConfigurationError) {
   LoadedTransport transport("system", {{"DOKPLOY_SSH_PROGRAM", "/nonexistent/ssh"}});
   EXPECT_FALSE(transport.created());
   EXPECT_EQ(transport.create_status(), DPP_E_CONFIG);
   EXPECT_NE(transport.create_message().find("DOKPLOY_SSH_PROGRAM"), std::string::npos)
       << transport.create_message();
}

// Runs `body` with PATH pointing nowhere, restoring it afterwards.
template <typename Body>
void without_path(Body&& body) {
   const char* saved = std::getenv("PATH");
   const std::string old = saved ? saved : "";
   ::setenv("PATH", "/nonexistent", 1);
   body();
   ::setenv("PATH", old.c_str(), 1);
}

TEST(TransportOptions, SystemPasswordLoginWithoutSshpassIsAConfigurationError) {
   LoadedTransport transport("system", {{"DOKPLOY_SSH_PROGRAM", "/usr/bin/ssh"}});
   ASSERT_TRUE(transport.created()) << transport.create_message();
   TempDir dir("dpp-nosshpass");
   TargetSpec target;
   target.port = 22;
   target.host_key = make_key_pair(dir, "host").public_line;
   target.login.kind = DPP_CREDENTIAL_PASSWORD;
   target.login.user = "devpod";
   target.login.password = "irrelevant-password";
   RunOutcome run;
   without_path([&] { run = transport.run(target, "true"); });
   EXPECT_EQ(run.status, DPP_E_CONFIG);
   EXPECT_NE(run.message.find("sshpass"), std::string::npos) << run.message;
}

class PrivateKeyModeTest : public ::testing::TestWithParam<std::string> {};

TEST_P(PrivateKeyModeTest, KeyReadableByOthersIsRefusedBeforeConnecting) {
   TempDir dir("dpp-keymode");
   const TestKeyPair key = make_key_pair(dir, "id_ed25519");
   ::chmod(key.private_file.c_str(), 0644);
   LoadedTransport transport(GetParam());
   ASSERT_TRUE(transport.created()) << transport.create_message();
   TargetSpec target;
   target.port = static_cast<uint16_t>(free_tcp_port());
   target.host_key = key.public_line;
   target.login.user = "devpod";
   target.login.private_key_file = key.private_file;
   const RunOutcome run = transport.run(target, "true");
   EXPECT_EQ(run.status, DPP_E_CONFIG);
   EXPECT_NE(run.message.find("chmod 600"), std::string::npos) << run.message;
}

INSTANTIATE_TEST_SUITE_P(Transports, PrivateKeyModeTest, ::testing::Values("libssh2", "system"));

class SystemTransportReuse : public ::testing::TestWithParam<bool> {};

TEST_P(SystemTransportReuse, RepeatedRunsShareOneConnection) {
   const bool password = GetParam();
   if (auto reason = SshdServer::unavailable()) DPP_SKIP("no sshd: " + *reason);
   if (password && !SshdServer::can_use_passwords()) DPP_SKIP("password logins need root");
   TempDir dir("dpp-reuse");
   const TestKeyPair key = make_key_pair(dir, "id_ed25519");
   const TestPassword secret = password ? make_password() : TestPassword{};
   SshdOptions options;
   if (password) {
      options.password_hash = secret.hash;
      options.password_authentication = true;
   } else {
      options.authorized_keys = {key.public_line};
   }
   SshdServer sshd(options);
   LoadedTransport transport("system", {{"DOKPLOY_SSH_REUSE", "true"}, {"DOKPLOY_SSH_REUSE_IDLE", "5000"}});
   ASSERT_TRUE(transport.created()) << transport.create_message();
   TargetSpec target;
   target.port = static_cast<uint16_t>(sshd.port());
   target.host_key = sshd.host_public_key();
   target.login.user = sshd.user();
   if (password) {
      target.login.kind = DPP_CREDENTIAL_PASSWORD;
      target.login.password = secret.password;
   } else {
      target.login.private_key_file = key.private_file;
   }
   for (int i = 0; i < 3; ++i) {
      const RunOutcome run =
          transport.run(target, "echo run " + std::to_string(i) + "; exit " + std::to_string(i));
      ASSERT_EQ(run.status, DPP_OK) << run.message;
      EXPECT_EQ(run.out, "run " + std::to_string(i) + "\n");
      EXPECT_EQ(run.exit_code, i);
      std::printf("[reuse] %s: run %d took %.3f s\n", password ? "password" : "key", i, run.seconds);
   }
   const std::string log = sshd.log();
   const std::string accepted = password ? "Accepted password" : "Accepted publickey";
   std::size_t logins = 0;
   for (auto at = log.find(accepted); at != std::string::npos; at = log.find(accepted, at + 1)) ++logins;
   EXPECT_EQ(logins, 1u) << "each run logged in again:\n" << log;
}

INSTANTIATE_TEST_SUITE_P(Credentials, SystemTransportReuse, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& kind) {
                            return kind.param ? std::string("Password") : std::string("Key");
                         });

}  // namespace
}  // namespace dpp::test

// The shared transport suite's fixture.
#include "transport_fixture.hpp"

#include "support/test_paths.hpp"

namespace dpp::test {

std::string param_name(const ::testing::TestParamInfo<TransportParam>& info) {
   return info.param.transport + (info.param.auth == AuthKind::key ? "_Key" : "_Password");
}

void PrintTo(const TransportParam& param, std::ostream* out) {
   *out << param.transport << (param.auth == AuthKind::key ? " with a key" : " with a password");
}

void TransportTest::SetUp() {
   if (auto reason = SshdServer::unavailable()) DPP_SKIP("no sshd for the transport tests: " + *reason);
   if (password_auth() && !SshdServer::can_use_passwords())
      DPP_SKIP("password logins need root (sshd must switch to a test user with a password)");
   dir_ = std::make_unique<TempDir>("dpp-transport");
   key_ = make_key_pair(*dir_, "id_ed25519");
   SshdOptions options;
   if (password_auth()) {
      password_ = make_password();
      options.password_hash = password_.hash;
      options.password_authentication = true;
      options.pubkey_authentication = false;
   } else {
      options.authorized_keys = {key_.public_line};
   }
   sshd_ = std::make_unique<SshdServer>(options);
   std::vector<std::string> secrets = private_key_material(key_.private_file);
   if (!password_.password.empty()) secrets.push_back(password_.password);
   scanner_ = std::make_unique<SecretScanner>(secrets);
   load_transport({});
}

void TransportTest::load_transport(const std::map<std::string, std::string>& options) {
   transport_.reset();
   transport_ = std::make_unique<LoadedTransport>(GetParam().transport, options);
   ASSERT_TRUE(transport_->created()) << transport_->create_message();
}

void TransportTest::TearDown() {
   if (!scanner_) return;
   const std::vector<std::string> findings = scanner_->stop();
   EXPECT_TRUE(findings.empty()) << "a secret was visible in /proc: " << findings.front();
   EXPECT_GT(scanner_->scans(), 0);
   if (transport_) {
      for (const auto& line : transport_->log_lines()) {
         EXPECT_FALSE(scanner_->contains_secret(line)) << "a log line holds a secret";
      }
   }
   transport_.reset();
   sshd_.reset();
}

TargetSpec TransportTest::target() const {
   TargetSpec spec;
   spec.host = "127.0.0.1";
   spec.port = static_cast<uint16_t>(sshd_->port());
   spec.host_key = sshd_->host_public_key();
   spec.login.user = sshd_->user();
   if (password_auth()) {
      spec.login.kind = DPP_CREDENTIAL_PASSWORD;
      spec.login.password = password_.password;
   } else {
      spec.login.kind = DPP_CREDENTIAL_PRIVATE_KEY;
      spec.login.private_key_file = key_.private_file;
      spec.login.public_key_file = key_.public_file;
   }
   return spec;
}

}  // namespace dpp::test

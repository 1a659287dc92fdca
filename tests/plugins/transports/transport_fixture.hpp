// The fixture of the shared transport suite: one real sshd per test, credentials made at
// runtime, the transport under test loaded through its C ABI, and a secret scanner watching
// every process while the test runs.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "secret_scanner.hpp"
#include "support/sshd_server.hpp"
#include "support/temp_dir.hpp"
#include "test_credentials.hpp"
#include "transport_harness.hpp"

namespace dpp::test {

enum class AuthKind { key, password };

struct TransportParam {
   std::string transport;  // plugin id: "libssh2" or "system"
   AuthKind auth;
};

std::string param_name(const ::testing::TestParamInfo<TransportParam>& info);
void PrintTo(const TransportParam& param, std::ostream* out);

class TransportTest : public ::testing::TestWithParam<TransportParam> {
 protected:
   void SetUp() override;
   void TearDown() override;

   // Starts the transport anew with these options (canonical values).
   void load_transport(const std::map<std::string, std::string>& options);
   // The target for the running sshd with the test's credentials.
   TargetSpec target() const;
   bool password_auth() const { return GetParam().auth == AuthKind::password; }

   std::unique_ptr<TempDir> dir_;
   TestKeyPair key_;
   TestPassword password_;
   std::unique_ptr<SshdServer> sshd_;
   std::unique_ptr<LoadedTransport> transport_;
   std::unique_ptr<SecretScanner> scanner_;
};

}  // namespace dpp::test

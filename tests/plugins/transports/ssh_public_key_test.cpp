// OpenSSH public key lines: parsing and fingerprints, checked against ssh-keygen's own.
#include <gtest/gtest.h>

#include <dpp/cpp/plugin.hpp>

#include "common/ssh_public_key.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"
#include "test_credentials.hpp"

namespace dpp::plugins {
namespace {

TEST(SshPublicKey, FingerprintMatchesSshKeygen) {
   test::TempDir dir("dpp-pubkey");
   const test::TestKeyPair pair = test::make_key_pair(dir, "key");
   const SshPublicKey key = parse_ssh_public_key(pair.public_line);
   EXPECT_EQ(key.type, "ssh-ed25519");
   test::ProcessOptions listing;
   listing.argv = {"/usr/bin/ssh-keygen", "-l", "-f", pair.public_file};
   const std::string out = test::run_process(listing).out;
   EXPECT_NE(out.find(key.fingerprint() + " "), std::string::npos) << out << " vs " << key.fingerprint();
   EXPECT_EQ(key.line() + " dpp-test-key", pair.public_line);
   EXPECT_EQ(ssh_blob_type(key.blob), "ssh-ed25519");
}

TEST(SshPublicKey, SurroundingSpaceAndCommentsAreIgnored) {
   test::TempDir dir("dpp-pubkey");
   const test::TestKeyPair pair = test::make_key_pair(dir, "key");
   const SshPublicKey plain = parse_ssh_public_key(pair.public_line);
   const SshPublicKey spaced = parse_ssh_public_key("  " + plain.line() + "  a comment with spaces \n");
   EXPECT_EQ(plain.blob, spaced.blob);
}

TEST(SshPublicKey, MalformedLinesAreRefusedWithTheReason) {
   auto error_of = [](const std::string& line) {
      try {
         parse_ssh_public_key(line);
      } catch (const sdk::Error& e) {
         EXPECT_EQ(e.status(), DPP_E_INVALID_ARGUMENT);
         return std::string(e.what());
      }
      return std::string("accepted");
   };
   EXPECT_NE(error_of("").find("empty"), std::string::npos);
   EXPECT_NE(error_of("ssh-ed25519").find("no key field"), std::string::npos);
   EXPECT_NE(error_of("ssh-ed25519 !!!!").find("base64"), std::string::npos);
   // A valid ed25519 blob announced as RSA.
   test::TempDir dir("dpp-pubkey");
   const SshPublicKey key = parse_ssh_public_key(test::make_key_pair(dir, "key").public_line);
   EXPECT_NE(error_of("ssh-rsa " + key.line().substr(12)).find("but its key is ssh-ed25519"),
             std::string::npos);
}

}  // namespace
}  // namespace dpp::plugins

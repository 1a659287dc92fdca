// Credentials the transport tests make at runtime: ed25519 key pairs from ssh-keygen, and a
// random password with its "$6$" hash from `openssl passwd -6 -stdin` (the password goes
// through stdin, never an argv).
#pragma once

#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace dpp::test {

struct TestKeyPair {
   std::string private_file;  // 0600, unencrypted OpenSSH format
   std::string public_file;
   std::string public_line;  // "ssh-ed25519 AAAA… comment"
};

// A new key pair `<dir>/<name>` and `<name>.pub`.
TestKeyPair make_key_pair(const TempDir& dir, const std::string& name);

struct TestPassword {
   std::string password;  // 24 random letters and digits
   std::string hash;      // SHA-512 crypt
};

TestPassword make_password();

// The lines of a private key file that carry key material (its base64 body), for scanning.
std::vector<std::string> private_key_material(const std::string& private_file);

// The public line of a host key file, as ssh-keygen -y prints it.
std::string public_line_of(const std::string& private_file);

}  // namespace dpp::test

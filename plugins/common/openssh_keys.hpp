// ed25519 key pairs in OpenSSH's own formats: the "openssh-key-v1" private key file that both
// OpenSSH and libssh2 read, and the one-line public key ("ssh-ed25519 AAAA… comment").
#pragma once

#include <optional>
#include <string>

namespace dpp::plugins {

struct OpensshKeyPair {
   std::string private_key;  // PEM-armoured openssh-key-v1, unencrypted (a secret)
   std::string public_line;  // "ssh-ed25519 <base64> <comment>"
};

// A fresh key pair from the OS CSPRNG (through OpenSSL's ed25519).
OpensshKeyPair generate_ed25519(const std::string& comment);

// The public line of an unencrypted openssh-key-v1 ed25519 private key, after checking that the
// file is well formed and that its public and private halves belong together; nullopt when not.
std::optional<std::string> public_line_of_private_key(const std::string& private_key,
                                                      const std::string& comment);

}  // namespace dpp::plugins

// OpenSSH public key lines ("ssh-ed25519 AAAA… comment"): parsing, exact comparison of key blobs
// and the SHA256 fingerprints OpenSSH prints, shared by both SSH transports.
#pragma once

#include <string>
#include <string_view>

namespace dpp::plugins {

struct SshPublicKey {
   // The algorithm name of the line and of the blob ("ssh-ed25519").
   std::string type;
   // The decoded key blob: what a server sends in its key exchange.
   std::string blob;

   // "SHA256:<unpadded base64 of sha256(blob)>", as `ssh-keygen -l` prints it.
   std::string fingerprint() const;
   // "<type> <base64>" (no comment): a known_hosts key field.
   std::string line() const;
};

// Parses an OpenSSH public key line: "<type> <base64> [comment]" (leading and trailing space
// ignored). Throws dpp::sdk::Error(DPP_E_INVALID_ARGUMENT) saying what is wrong: an empty line,
// no key field, base64 that does not decode, or a blob whose embedded type differs from the
// line's type.
SshPublicKey parse_ssh_public_key(std::string_view line);

// SHA256 fingerprint of a raw key blob.
std::string ssh_fingerprint(std::string_view blob);

// The algorithm name stored at the start of a key blob, or "" when the blob is malformed.
std::string ssh_blob_type(std::string_view blob);

}  // namespace dpp::plugins

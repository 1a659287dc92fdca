// Fuzzes the reading of private key files (plugins/common/openssh_keys): the auth plugin reads
// its key back from MACHINE_FOLDER, where anyone who can write there may have put anything.
// Malformed files give nullopt, never a crash; an accepted key's public line is a valid one.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/openssh_keys.hpp"
#include "common/ssh_public_key.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
   const std::string file(reinterpret_cast<const char*>(data), size);
   const auto line = dpp::plugins::public_line_of_private_key(file, "fuzz");
   if (!line) return 0;
   const dpp::plugins::SshPublicKey key = dpp::plugins::parse_ssh_public_key(*line);
   FUZZ_CHECK(key.type == "ssh-ed25519", "accepted a key of type " + key.type);
   FUZZ_CHECK(key.blob.size() == 4 + 11 + 4 + 32, "public blob of " + std::to_string(key.blob.size()) + " bytes");
   return 0;
}

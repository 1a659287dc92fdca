// crypt(3) SHA-512 ("$6$") hashes of the per-machine password, through libxcrypt.
#pragma once

#include <string>

namespace dpp::plugins {

// A "$6$<salt>$<hash>" of `password` with a salt from the OS CSPRNG.
std::string sha512_crypt(const std::string& password);

// True when `hash` is a "$6$" hash of `password`.
bool sha512_crypt_matches(const std::string& password, const std::string& hash);

}  // namespace dpp::plugins

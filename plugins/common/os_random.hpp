// Bytes from the operating system's CSPRNG (getrandom(2)), for keys, passwords and salts.
#pragma once

#include <cstddef>
#include <string>

namespace dpp::plugins {

// `count` random bytes; throws dpp::sdk::Error(DPP_E_IO) when the kernel cannot provide them.
std::string os_random_bytes(std::size_t count);

}  // namespace dpp::plugins

// Standard base64 (RFC 4648, with padding): OpenSSH key blobs, host keys in the environment.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dpp::plugins {

std::string base64_encode(std::string_view bytes);
// nullopt when `text` is not canonical padded base64 (whitespace is not skipped).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace dpp::plugins

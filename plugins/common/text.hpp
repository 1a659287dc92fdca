// Small text helpers shared by the plugins: UTF-8 checks and POSIX shell quoting. The host has
// its own in core/util/text.hpp: a plugin links only the SDK and plugins/common, never core/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace dpp::plugins {

// The length of the UTF-8 sequence at `at` (`at` < text.size()), its code point in `code_point`;
// 0 when malformed (truncated, overlong, a surrogate, above U+10FFFF).
std::size_t utf8_sequence(std::string_view text, std::size_t at, uint32_t& code_point);

// True when `text` is well-formed UTF-8.
bool is_valid_utf8(std::string_view text);

// Quotes `text` for a POSIX shell: it's -> 'it'\''s'.
std::string shell_quote(std::string_view text);

}  // namespace dpp::plugins

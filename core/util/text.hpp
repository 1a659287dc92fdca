// Small text helpers shared by the host: UTF-8 checks, case folding, splitting.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dpp::core {

// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates, ≤ U+10FFFF).
bool is_valid_utf8(std::string_view text);

// True when `text` holds a C0 control character or DEL (newlines included).
bool has_control_characters(std::string_view text);

std::string to_lower(std::string_view text);
std::string_view trim(std::string_view text);
std::vector<std::string> split(std::string_view text, char separator);

// Quotes `text` for a POSIX shell: 'it'\''s' style.
std::string shell_quote(std::string_view text);

// A short printable rendering of an untrusted value for messages: control bytes escaped,
// cut to `limit` characters with an ellipsis and the full length.
std::string printable_excerpt(std::string_view text, std::size_t limit = 60);

// Text from outside (a plugin, a server) made safe to print whole: valid UTF-8 stays as it is
// except for control bytes, which are escaped (\x1b), so that it cannot move the cursor, recolour
// the terminal or start a line of its own; a newline becomes `newline` instead (default: escaped
// like the others). Text that is not UTF-8 is escaped byte by byte.
std::string printable_text(std::string_view text, std::string_view newline = "\\x0a");

}  // namespace dpp::core

// Safe encodings of arbitrary text for the three languages a spec value passes through: YAML
// (with Compose's $-interpolation), dotenv (as Dokploy parses an application's environment) and
// POSIX sh (the single command string of Dokploy up to v0.25).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dpp::dokploy {

// The length of the UTF-8 sequence at `at` (`at` < text.size()), its code point in `code_point`;
// 0 when malformed (truncated, overlong, a surrogate, above U+10FFFF).
std::size_t utf8_sequence(std::string_view text, std::size_t at, uint32_t& code_point);

// True when `text` is well-formed UTF-8.
bool valid_utf8(std::string_view text);

// A JSON-style double-quoted YAML scalar (YAML is a JSON superset): control characters and
// the characters YAML treats as line breaks are escaped, and with `compose` every '$' is
// doubled so that Compose's interpolation gives back the original. Throws Error(DPP_E_CONFIG)
// for text that is not UTF-8 or holds a NUL.
std::string yaml_quoted(std::string_view text, bool compose = true);

// `NAME=<value>` for Dokploy's dotenv parser (npm dotenv v16): the value in a quote character it
// does not contain, so that it is read back byte for byte (multi-line values included). Throws
// Error(DPP_E_CONFIG) when no quoting can carry the value, or when it holds "${{" (Dokploy
// resolves those as references whatever the quotes).
std::string dotenv_line(std::string_view name, std::string_view value);

// 'text' for sh, with every ' written as '\''.
std::string shell_quoted(std::string_view text);

// Environment variable names the workspace can receive: [A-Za-z_][A-Za-z0-9_]*.
bool valid_env_name(std::string_view name);

}  // namespace dpp::dokploy

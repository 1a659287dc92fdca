// Safe encodings of arbitrary text for the languages a spec value passes through: YAML (with
// Compose's $-interpolation) and dotenv (as Dokploy parses an application's environment). POSIX sh
// (the single command string of Dokploy up to v0.25) is plugins/common's shell_quote.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dpp::dokploy {

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

// Environment variable names the workspace can receive: [A-Za-z_][A-Za-z0-9_]*.
bool valid_env_name(std::string_view name);

}  // namespace dpp::dokploy

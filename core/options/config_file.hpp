// `--config FILE`: the provider's options from a file, for use outside DevPod.
#pragma once

#include <map>
#include <string>

namespace dpp::core {

// Reads a file of `NAME=value` lines (blank lines and `#` comments ignored; a value may be
// wrapped in single or double quotes; `export NAME=value` accepted). Throws ConfigError naming
// the file and line for anything else. Unknown names are checked later, against the options
// of the plugins in use (see resolve_configuration).
std::map<std::string, std::string> read_config_file(const std::string& path);

}  // namespace dpp::core

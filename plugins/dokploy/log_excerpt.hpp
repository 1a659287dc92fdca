// The end of a Dokploy deployment log as a few lines a person can read in an error message, with
// nothing secret in them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dpp::dokploy {

struct ExcerptLimits {
   std::size_t lines = 12;   // at most this many lines, the last ones
   std::size_t chars = 200;  // each cut to this many characters (code points)
};

// The last meaningful lines of `log`: terminal escapes and carriage-return progress resolved,
// blank lines, Dokploy's banner box and generic closing lines, and docker pull's per-layer
// progress left out; every occurrence of a `secrets` value (as written, as Compose and YAML
// escape it, and each of its lines) and every long random-looking run (keys, hashes, tokens)
// replaced by "<redacted>"; control characters and malformed UTF-8 dropped.
std::vector<std::string> log_excerpt(std::string_view log, const std::vector<std::string>& secrets,
                                     ExcerptLimits limits = {});

}  // namespace dpp::dokploy

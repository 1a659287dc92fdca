// Builds a bundle: the host executable followed by a payload of every file below a staging
// folder (bundle_format.hpp). Used by the release packer (tools/release) and by tests; the host
// itself never writes bundles, so this file's code is not linked into it.
#pragma once

#include <filesystem>

#include "bundle/bundle_format.hpp"

namespace dpp::core::bundle {

// Writes `output` (mode 0755, replaced atomically) = `host` + payload of the regular files below
// `staging` (sorted by path, so the same inputs give the same bytes) + trailer. Returns the
// trailer. Throws std::runtime_error naming the file at fault.
Trailer write_bundle(const std::filesystem::path& host, const std::filesystem::path& staging,
                     const std::filesystem::path& output);

}  // namespace dpp::core::bundle

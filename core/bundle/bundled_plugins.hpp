// The one call the host makes into core/bundle: when its own executable carries a payload (a
// release build), the folder its bundled plugins were unpacked to, unpacking them first if needed.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace dpp::core::bundle {

// nullopt for an executable without payload (a build tree or an installed package: the plugins
// are in files beside it). Throws ProviderError, saying what to do, when the payload is damaged
// or no cache folder can be used.
std::optional<std::filesystem::path> bundled_plugin_folder(const std::filesystem::path& executable);

// Where unpacked bundles are kept, in order of preference: $XDG_CACHE_HOME/dokploy-provider,
// ~/.cache/dokploy-provider, then ${TMPDIR:-/tmp}/dokploy-provider-<uid> (for a read-only or
// noexec home).
std::vector<std::filesystem::path> cache_locations();

}  // namespace dpp::core::bundle

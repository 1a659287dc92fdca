// File operations with the guarantees machine state and credentials need: private modes,
// atomic replacement, and no following of planted symlinks.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dpp::core {

// Creates `path` (and missing parents) as a folder, then makes it mode 0700 and checks that it
// is a real folder owned by us. Throws ProviderError with the path and the reason.
void ensure_private_folder(const std::string& path);

// Writes `content` to `path` atomically: a temp file (0600, O_EXCL|O_NOFOLLOW) in the same
// folder, fsync, rename over `path`, fsync of the folder. A symlink at `path` is replaced, never
// followed. Throws ProviderError on failure; the old file is then left intact.
void write_file_atomically(const std::string& path, std::string_view content, unsigned mode = 0600);

// Reads `path` without following a symlink (O_NOFOLLOW). nullopt when it does not exist; throws
// ProviderError when it is a symlink, not a regular file, larger than `max_bytes`, or unreadable.
std::optional<std::string> read_private_file(const std::string& path, std::size_t max_bytes);

// Removes `path` when it exists (a symlink itself, never its target).
void remove_file_if_exists(const std::string& path);

}  // namespace dpp::core

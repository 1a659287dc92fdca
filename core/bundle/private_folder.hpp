// Folder operations for the bundle cache that never follow a symlink they did not expect:
// opening (and creating) a private folder, and removing a tree relative to a folder descriptor.
#pragma once

#include <filesystem>
#include <string>

#include "bundle/unique_fd.hpp"

namespace dpp::core::bundle {

// Opens `path` as a folder owned by us and private (0700; a wider mode on our own folder is
// narrowed), creating it and its missing parents (0700) first. The last component must not be a
// symlink; parents may be (a user's ~/.cache may live elsewhere). Throws std::runtime_error with
// the reason when the folder cannot be ours.
UniqueFd open_private_folder(const std::filesystem::path& path);

// Creates `name` as a private folder inside `parent` and opens it; fails when it exists.
UniqueFd make_private_subfolder(int parent, const std::string& name);

// Opens `name` inside `parent` as a folder without following a symlink; -1 when it is not one.
UniqueFd open_subfolder(int parent, const std::string& name);

// Removes `name` inside `parent` and, when it is a real folder, everything below it; symlinks are
// removed themselves, never followed. Best effort: what cannot be removed stays.
void remove_tree_at(int parent, const std::string& name);

}  // namespace dpp::core::bundle

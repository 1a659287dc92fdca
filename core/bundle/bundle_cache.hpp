// The versioned cache folder a bundle's plugins and libraries are unpacked into, once: found
// valid with a few stat() calls on every later start, or (re)built under a lock in a temporary
// folder that is renamed into place, so concurrent first starts unpack it once and no process
// ever sees a half-written folder under the final name.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "bundle/bundle_format.hpp"

namespace dpp::core::bundle {

// No cache location could be used; what() lists each one with its reason.
class CacheUnavailable : public std::runtime_error {
 public:
   using std::runtime_error::runtime_error;
};

struct UnpackRequest {
   int executable_fd = -1;
   Trailer trailer;
   std::string folder_name;  // <version>-<payload sha256 prefix>
};

struct UnpackResult {
   std::filesystem::path folder;  // <base>/<folder_name>
   bool unpacked = false;         // false: an earlier start's folder was valid
   std::string note;              // why an existing folder was rebuilt, when it was
};

// The folder name for a version and payload: "<version>-<first 16 hex digits of the sha256>".
std::string bundle_folder_name(const std::string& version, const Trailer& trailer);

// Uses the first of `bases` that can be a private folder of ours on a filesystem that allows
// executable mappings. Throws BundleDamaged or CacheUnavailable.
UnpackResult unpack_or_reuse(const UnpackRequest& request, const std::vector<std::filesystem::path>& bases);

}  // namespace dpp::core::bundle

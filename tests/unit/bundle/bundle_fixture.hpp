// Small bundles made on the fly for the core/bundle tests: a stand-in host file plus the given
// files, packed with the real writer; and the random content those tests pack.
#pragma once

#include <fcntl.h>

#include <cstdint>
#include <map>
#include <string>

#include "bundle/bundle_format.hpp"
#include "support/file_contents.hpp"
#include "support/temp_dir.hpp"

namespace dpp::test {

std::string random_bytes(std::size_t size);

}  // namespace dpp::test

namespace dpp::core::bundle {

struct BundleParts {
   std::string bundle;           // the packed file
   std::uint64_t host_size = 0;  // where its payload starts
};

// Packs `files` (relative path → content) after a stand-in host into <dir>/<name>/bundle.
BundleParts make_bundle(const dpp::test::TempDir& dir, const std::map<std::string, std::string>& files,
                        const std::string& name = "b");

// The trailer of the open bundle `fd` (fails the test when there is none).
Trailer read_trailer_of(int fd);

}  // namespace dpp::core::bundle

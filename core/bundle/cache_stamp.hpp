// The stamp an unpacked bundle folder carries (written last, before the folder gets its final
// name): the payload's sha256 and, per file, what stat said right after the file was written.
// A later start compares the stamp with stat() alone: any write, chmod, replacement or truncation
// changes the inode's ctime, size or number, so a tampered or half-written folder is noticed
// without hashing megabytes on every start.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <string>
#include <vector>

#include "bundle/sha256.hpp"

namespace dpp::core::bundle {

inline constexpr char kStampName[] = ".bundle-stamp";

struct StampedFile {
   std::string path;  // relative to the bundle folder
   std::uint64_t size = 0;
   std::uint64_t inode = 0;
   std::int64_t ctime_sec = 0;
   std::int64_t ctime_nsec = 0;
};

StampedFile stamp_of(const std::string& path, const struct stat& info);

std::string format_stamp(const Sha256::Digest& payload_sha256, const std::vector<StampedFile>& files);

// True when `folder` (a descriptor) holds a stamp for `payload_sha256` listing `entry_count`
// files, and each of them is still a private regular file of ours, in real folders, with the
// recorded size, inode and ctime. `why` gets the first difference, for the debug log.
bool stamp_matches(int folder, const Sha256::Digest& payload_sha256, std::uint32_t entry_count,
                   std::string& why);

}  // namespace dpp::core::bundle

// The layout of the payload a release build appends to the dokploy-provider executable (its
// plugins and their private shared libraries), shared by the packer and the host that unpacks it.
//
//   [ executable as linked ][ payload: one zlib stream of entries ][ trailer: 80 bytes ]
//   entry   = u64 size | u16 path length | path (relative, '/'-separated) | size bytes of content
//   trailer = u64 payload offset | u64 payload size | u64 unpacked size | u32 entry count |
//             u32 reserved (0) | 32 bytes sha256 of the payload | 16 bytes magic "dpp-bundle-v1"
// All integers little-endian. The trailer is last so a reader needs only the file's end; the
// kernel and the dynamic loader ignore bytes after the ELF segments, so the executable still runs.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "bundle/sha256.hpp"

namespace dpp::core::bundle {

// The payload or its trailer is not what the packer wrote (a truncated download, a changed file):
// the file itself is bad, so no cache location or retry can help.
class BundleDamaged : public std::runtime_error {
 public:
   using std::runtime_error::runtime_error;
};

inline constexpr std::size_t kTrailerSize = 80;
inline constexpr std::size_t kEntryHeaderSize = 10;
inline constexpr std::size_t kMaxPathLength = 255;
// A bundle holds a handful of plugins and libraries; anything far beyond is damage, not data.
inline constexpr std::uint32_t kMaxEntries = 4096;
inline constexpr std::uint64_t kMaxUnpackedSize = std::uint64_t{2} << 30;

struct Trailer {
   std::uint64_t payload_offset = 0;
   std::uint64_t payload_size = 0;
   std::uint64_t unpacked_size = 0;
   std::uint32_t entry_count = 0;
   Sha256::Digest payload_sha256{};
};

std::array<std::uint8_t, kTrailerSize> encode_trailer(const Trailer& trailer);

// The trailer in the last kTrailerSize bytes of a file of `file_size` bytes, or nullopt when
// those bytes do not end with the magic (an executable without payload). Throws
// std::runtime_error when the magic is there but the fields cannot describe this file.
std::optional<Trailer> decode_trailer(const std::uint8_t* bytes, std::uint64_t file_size);

std::array<std::uint8_t, kEntryHeaderSize> encode_entry_header(std::uint64_t size, std::uint16_t path_length);
void decode_entry_header(const std::uint8_t* bytes, std::uint64_t& size, std::uint16_t& path_length);

// True for the paths a payload may hold: relative, '/'-separated, at most 4 components, each of
// [A-Za-z0-9._+-], not "." or "..", not starting with '.' (our own files in the cache folder do).
bool is_valid_entry_path(std::string_view path);

}  // namespace dpp::core::bundle

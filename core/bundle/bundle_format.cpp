// Encoding and checking of the bundle trailer and entry headers (layout in bundle_format.hpp).
#include "bundle/bundle_format.hpp"

#include <cstring>

namespace dpp::core::bundle {
namespace {

constexpr char kMagic[16] = {'d', 'p', 'p', '-', 'b', 'u', 'n', 'd', 'l', 'e', '-', 'v', '1', 0, 0, 0};

template <typename T>
void put(std::uint8_t* out, T value) {
   for (std::size_t i = 0; i < sizeof(T); ++i) out[i] = static_cast<std::uint8_t>(value >> (8 * i));
}

template <typename T>
T get(const std::uint8_t* in) {
   T value = 0;
   for (std::size_t i = 0; i < sizeof(T); ++i) value |= static_cast<T>(T{in[i]} << (8 * i));
   return value;
}

}  // namespace

std::array<std::uint8_t, kTrailerSize> encode_trailer(const Trailer& trailer) {
   std::array<std::uint8_t, kTrailerSize> bytes{};
   put(bytes.data(), trailer.payload_offset);
   put(bytes.data() + 8, trailer.payload_size);
   put(bytes.data() + 16, trailer.unpacked_size);
   put(bytes.data() + 24, trailer.entry_count);
   put(bytes.data() + 28, std::uint32_t{0});
   std::memcpy(bytes.data() + 32, trailer.payload_sha256.data(), 32);
   std::memcpy(bytes.data() + 64, kMagic, sizeof kMagic);
   return bytes;
}

std::optional<Trailer> decode_trailer(const std::uint8_t* bytes, std::uint64_t file_size) {
   if (std::memcmp(bytes + 64, kMagic, sizeof kMagic) != 0) return std::nullopt;
   Trailer trailer;
   trailer.payload_offset = get<std::uint64_t>(bytes);
   trailer.payload_size = get<std::uint64_t>(bytes + 8);
   trailer.unpacked_size = get<std::uint64_t>(bytes + 16);
   trailer.entry_count = get<std::uint32_t>(bytes + 24);
   std::memcpy(trailer.payload_sha256.data(), bytes + 32, 32);
   if (file_size < kTrailerSize || trailer.payload_offset > file_size - kTrailerSize ||
       trailer.payload_size != file_size - kTrailerSize - trailer.payload_offset)
      throw BundleDamaged(
          "the bundle trailer does not match the file's size (the file is truncated or "
          "was changed after it was built)");
   if (trailer.entry_count == 0 || trailer.entry_count > kMaxEntries ||
       trailer.unpacked_size > kMaxUnpackedSize)
      throw BundleDamaged("the bundle trailer describes an impossible payload (" +
                          std::to_string(trailer.entry_count) + " files, " +
                          std::to_string(trailer.unpacked_size) + " bytes)");
   return trailer;
}

std::array<std::uint8_t, kEntryHeaderSize> encode_entry_header(std::uint64_t size,
                                                               std::uint16_t path_length) {
   std::array<std::uint8_t, kEntryHeaderSize> bytes{};
   put(bytes.data(), size);
   put(bytes.data() + 8, path_length);
   return bytes;
}

void decode_entry_header(const std::uint8_t* bytes, std::uint64_t& size, std::uint16_t& path_length) {
   size = get<std::uint64_t>(bytes);
   path_length = get<std::uint16_t>(bytes + 8);
}

bool is_valid_entry_path(std::string_view path) {
   if (path.empty() || path.size() > kMaxPathLength) return false;
   int components = 0;
   std::size_t start = 0;
   while (start <= path.size()) {
      const std::size_t end = std::min(path.find('/', start), path.size());
      const std::string_view part = path.substr(start, end - start);
      if (part.empty() || part.front() == '.' || ++components > 4) return false;
      for (char c : part) {
         const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                         c == '.' || c == '_' || c == '+' || c == '-';
         if (!ok) return false;
      }
      start = end + 1;
   }
   return true;
}

}  // namespace dpp::core::bundle

// Reads the entries of a bundle payload (bundle_format.hpp) one after the other, straight from the
// executable's file descriptor, inflating as it goes: the payload is never held in memory whole.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <string>
#include <vector>

#include "bundle/bundle_format.hpp"

namespace dpp::core::bundle {

class PayloadReader {
 public:
   // `fd` must stay open while the reader is used. Throws BundleDamaged on any damage,
   // std::runtime_error when the file cannot be read.
   PayloadReader(int fd, const Trailer& trailer);
   ~PayloadReader();
   PayloadReader(const PayloadReader&) = delete;
   PayloadReader& operator=(const PayloadReader&) = delete;

   struct Entry {
      std::string path;
      std::uint64_t size = 0;
   };
   // The next entry's header (its path is checked with is_valid_entry_path), or false after the
   // last one, once the stream is known to end exactly where the trailer says. The previous
   // entry's content must have been read completely.
   bool next(Entry& entry);
   // Up to `capacity` bytes of the current entry's content; 0 at its end.
   std::size_t read(void* out, std::size_t capacity);

 private:
   // Fills `out` with exactly `size` inflated bytes, or throws; false when the stream ended
   // cleanly before any byte (only allowed between entries).
   bool inflate_exactly(void* out, std::size_t size, bool end_allowed);

   int fd_;
   Trailer trailer_;
   z_stream stream_{};
   std::vector<std::uint8_t> input_;
   std::uint64_t consumed_ = 0;  // compressed bytes read from the file so far
   std::uint64_t entries_ = 0;
   std::uint64_t unpacked_ = 0;
   std::uint64_t remaining_ = 0;  // of the current entry
   bool ended_ = false;
};

}  // namespace dpp::core::bundle

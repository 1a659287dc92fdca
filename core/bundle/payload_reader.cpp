// Inflating reader of a bundle payload; every size it reads is checked against the trailer.
#include "bundle/payload_reader.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace dpp::core::bundle {

PayloadReader::PayloadReader(int fd, const Trailer& trailer) : fd_(fd), trailer_(trailer), input_(64 * 1024) {
   if (inflateInit(&stream_) != Z_OK) throw std::runtime_error("cannot start zlib's inflate");
}

PayloadReader::~PayloadReader() {
   inflateEnd(&stream_);
}

bool PayloadReader::inflate_exactly(void* out, std::size_t size, bool end_allowed) {
   stream_.next_out = static_cast<Bytef*>(out);
   stream_.avail_out = static_cast<uInt>(size);
   while (stream_.avail_out > 0) {
      if (ended_) {
         if (end_allowed && stream_.avail_out == size) return false;
         throw BundleDamaged("the bundle payload ends in the middle of a file");
      }
      if (stream_.avail_in == 0) {
         const std::uint64_t left = trailer_.payload_size - consumed_;
         if (left == 0) throw BundleDamaged("the bundle payload is cut short");
         const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(left, input_.size()));
         ssize_t got;
         do {
            got = ::pread(fd_, input_.data(), want, static_cast<off_t>(trailer_.payload_offset + consumed_));
         } while (got < 0 && errno == EINTR);
         if (got < 0)
            throw std::runtime_error(std::string("cannot read the bundle payload: ") + std::strerror(errno));
         if (got == 0) throw BundleDamaged("the bundle payload is cut short");
         consumed_ += static_cast<std::uint64_t>(got);
         stream_.next_in = input_.data();
         stream_.avail_in = static_cast<uInt>(got);
      }
      const int status = ::inflate(&stream_, Z_NO_FLUSH);
      if (status == Z_STREAM_END) {
         ended_ = true;
      } else if (status != Z_OK && status != Z_BUF_ERROR) {
         throw BundleDamaged(std::string("the bundle payload is damaged (zlib: ") +
                             (stream_.msg ? stream_.msg : "error " + std::to_string(status)) + ")");
      }
   }
   return true;
}

bool PayloadReader::next(Entry& entry) {
   if (remaining_ != 0) throw std::logic_error("PayloadReader::next before the entry was read whole");
   std::uint8_t header[kEntryHeaderSize];
   if (!inflate_exactly(header, sizeof header, true)) {
      if (entries_ != trailer_.entry_count || unpacked_ != trailer_.unpacked_size ||
          consumed_ != trailer_.payload_size || stream_.avail_in != 0)
         throw BundleDamaged("the bundle payload does not hold what its trailer lists");
      return false;
   }
   std::uint16_t path_length = 0;
   decode_entry_header(header, entry.size, path_length);
   if (++entries_ > trailer_.entry_count || path_length == 0 || path_length > kMaxPathLength ||
       entry.size > trailer_.unpacked_size - unpacked_)
      throw BundleDamaged("the bundle payload holds more than its trailer lists");
   entry.path.assign(path_length, '\0');
   inflate_exactly(entry.path.data(), path_length, false);
   if (!is_valid_entry_path(entry.path))
      throw BundleDamaged("the bundle payload holds a file with an unsafe name");
   unpacked_ += entry.size;
   remaining_ = entry.size;
   return true;
}

std::size_t PayloadReader::read(void* out, std::size_t capacity) {
   const std::size_t size = static_cast<std::size_t>(std::min<std::uint64_t>(capacity, remaining_));
   if (size == 0) return 0;
   inflate_exactly(out, size, false);
   remaining_ -= size;
   return size;
}

}  // namespace dpp::core::bundle

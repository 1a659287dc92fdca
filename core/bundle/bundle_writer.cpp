// Writes a bundle: copies the host, deflates the staged files into one zlib stream, appends the
// trailer; the sha256 is computed over the compressed bytes as they are written.
#include "bundle/bundle_writer.hpp"

#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace dpp::core::bundle {
namespace fs = std::filesystem;
namespace {

class DeflateSink {
 public:
   DeflateSink(std::ofstream& out, Sha256& hash) : out_(out), hash_(hash), buffer_(256 * 1024) {
      if (deflateInit(&stream_, Z_BEST_COMPRESSION) != Z_OK)
         throw std::runtime_error("cannot start zlib's deflate");
   }
   ~DeflateSink() { deflateEnd(&stream_); }
   DeflateSink(const DeflateSink&) = delete;
   DeflateSink& operator=(const DeflateSink&) = delete;

   void write(const void* data, std::size_t size) { pump(data, size, Z_NO_FLUSH); }
   void finish() { pump(nullptr, 0, Z_FINISH); }
   std::uint64_t written() const { return written_; }

 private:
   void pump(const void* data, std::size_t size, int flush) {
      stream_.next_in = static_cast<Bytef*>(const_cast<void*>(data));
      stream_.avail_in = static_cast<uInt>(size);
      int status;
      do {
         stream_.next_out = buffer_.data();
         stream_.avail_out = static_cast<uInt>(buffer_.size());
         status = ::deflate(&stream_, flush);
         if (status == Z_STREAM_ERROR) throw std::runtime_error("zlib's deflate failed");
         const std::size_t produced = buffer_.size() - stream_.avail_out;
         out_.write(reinterpret_cast<const char*>(buffer_.data()), static_cast<std::streamsize>(produced));
         hash_.update(buffer_.data(), produced);
         written_ += produced;
      } while (stream_.avail_out == 0 || (flush == Z_FINISH && status != Z_STREAM_END));
   }

   std::ofstream& out_;
   Sha256& hash_;
   z_stream stream_{};
   std::vector<Bytef> buffer_;
   std::uint64_t written_ = 0;
};

std::vector<fs::path> staged_files(const fs::path& staging) {
   std::vector<fs::path> files;
   for (const auto& item : fs::recursive_directory_iterator(staging)) {
      if (item.is_symlink())
         throw std::runtime_error(item.path().string() + " is a symlink; stage real files only");
      if (item.is_directory()) continue;
      if (!item.is_regular_file()) throw std::runtime_error(item.path().string() + " is not a regular file");
      const std::string relative = fs::relative(item.path(), staging).generic_string();
      if (!is_valid_entry_path(relative))
         throw std::runtime_error(item.path().string() + ": '" + relative + "' is not a valid bundle path");
      files.push_back(relative);
   }
   std::sort(files.begin(), files.end());
   if (files.empty()) throw std::runtime_error(staging.string() + " holds no file to bundle");
   if (files.size() > kMaxEntries) throw std::runtime_error("too many files to bundle");
   return files;
}

}  // namespace

Trailer write_bundle(const fs::path& host, const fs::path& staging, const fs::path& output) {
   const auto files = staged_files(staging);
   const fs::path temp = output.string() + ".tmp";
   std::ofstream out(temp, std::ios::binary | std::ios::trunc);
   if (!out) throw std::runtime_error("cannot write " + temp.string());
   {
      std::ifstream in(host, std::ios::binary);
      if (!in) throw std::runtime_error("cannot read " + host.string());
      out << in.rdbuf();
   }
   Trailer trailer;
   trailer.payload_offset = static_cast<std::uint64_t>(out.tellp());
   Sha256 hash;
   DeflateSink sink(out, hash);
   std::vector<char> buffer(256 * 1024);
   for (const auto& relative : files) {
      const fs::path source = staging / relative;
      std::ifstream in(source, std::ios::binary);
      if (!in) throw std::runtime_error("cannot read " + source.string());
      const std::uint64_t size = fs::file_size(source);
      const std::string path = relative.generic_string();
      const auto header = encode_entry_header(size, static_cast<std::uint16_t>(path.size()));
      sink.write(header.data(), header.size());
      sink.write(path.data(), path.size());
      std::uint64_t copied = 0;
      while (in) {
         in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
         const auto got = static_cast<std::size_t>(in.gcount());
         sink.write(buffer.data(), got);
         copied += got;
      }
      if (copied != size) throw std::runtime_error(source.string() + " changed while it was bundled");
      trailer.unpacked_size += size;
      ++trailer.entry_count;
   }
   sink.finish();
   trailer.payload_size = sink.written();
   trailer.payload_sha256 = hash.finish();
   const auto bytes = encode_trailer(trailer);
   out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
   out.close();
   if (!out) throw std::runtime_error("cannot write " + temp.string());
   fs::permissions(temp, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                             fs::perms::others_read | fs::perms::others_exec);
   fs::rename(temp, output);
   return trailer;
}

}  // namespace dpp::core::bundle

// dpp-bundle-pack: the release packer. `pack` appends a staged plugin folder to the host
// executable (core/bundle/bundle_format.hpp); `list` shows what a bundle holds, for people and
// for the release checks.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "bundle/bundle_cache.hpp"
#include "bundle/bundle_format.hpp"
#include "bundle/bundle_writer.hpp"
#include "bundle/payload_reader.hpp"
#include "bundle/unique_fd.hpp"

namespace {

using namespace dpp::core::bundle;

int usage() {
   std::cerr << "usage: dpp-bundle-pack pack HOST STAGING_FOLDER OUTPUT\n"
                "       dpp-bundle-pack list BUNDLE\n";
   return 2;
}

int pack(const std::string& host, const std::string& staging, const std::string& output) {
   const Trailer trailer = write_bundle(host, staging, output);
   std::cout << output << ": " << trailer.entry_count << " files, " << trailer.unpacked_size
             << " bytes packed into " << trailer.payload_size << ", payload sha256 "
             << to_hex(trailer.payload_sha256) << '\n';
   return 0;
}

int list(const std::string& bundle) {
   UniqueFd fd(::open(bundle.c_str(), O_RDONLY | O_CLOEXEC));
   struct stat info {};
   if (!fd || ::fstat(fd.get(), &info) != 0) {
      std::cerr << "dpp-bundle-pack: cannot open " << bundle << ": " << std::strerror(errno) << '\n';
      return 1;
   }
   std::uint8_t bytes[kTrailerSize] = {};
   if (info.st_size < static_cast<off_t>(kTrailerSize) ||
       ::pread(fd.get(), bytes, sizeof bytes, info.st_size - static_cast<off_t>(kTrailerSize)) !=
           static_cast<ssize_t>(sizeof bytes)) {
      std::cerr << "dpp-bundle-pack: " << bundle << " is too small to be a bundle\n";
      return 1;
   }
   const auto trailer = decode_trailer(bytes, static_cast<std::uint64_t>(info.st_size));
   if (!trailer) {
      std::cerr << "dpp-bundle-pack: " << bundle << " carries no payload\n";
      return 1;
   }
   std::cout << "payload_offset " << trailer->payload_offset << "\npayload_size " << trailer->payload_size
             << "\nunpacked_size " << trailer->unpacked_size << "\nsha256 " << to_hex(trailer->payload_sha256)
             << '\n';
   PayloadReader reader(fd.get(), *trailer);
   PayloadReader::Entry entry;
   std::vector<char> buffer(1 << 16);
   while (reader.next(entry)) {
      std::cout << "file " << entry.size << ' ' << entry.path << '\n';
      while (reader.read(buffer.data(), buffer.size()) > 0) {
      }
   }
   return 0;
}

}  // namespace

int main(int argc, char** argv) {
   const std::vector<std::string> args(argv + 1, argv + argc);
   try {
      if (args.size() == 4 && args[0] == "pack") return pack(args[1], args[2], args[3]);
      if (args.size() == 2 && args[0] == "list") return list(args[1]);
      return usage();
   } catch (const std::exception& e) {
      std::cerr << "dpp-bundle-pack: " << e.what() << '\n';
      return 1;
   }
}

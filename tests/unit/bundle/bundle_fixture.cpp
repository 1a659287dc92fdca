// Test bundles packed with the real writer (see bundle_fixture.hpp).
#include "bundle_fixture.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "bundle/bundle_writer.hpp"

namespace dpp::test {

std::string random_bytes(std::size_t size) {
   std::mt19937_64 random(size * 7919 + 1);
   std::string bytes(size, '\0');
   for (auto& byte : bytes) byte = static_cast<char>(random());
   return bytes;
}

}  // namespace dpp::test

namespace dpp::core::bundle {
namespace fs = std::filesystem;

BundleParts make_bundle(const dpp::test::TempDir& dir, const std::map<std::string, std::string>& files,
                        const std::string& name) {
   const fs::path root = fs::path(dir.path()) / name;
   fs::create_directories(root / "staging");
   const std::string host =
       "\x7f"
       "ELF stand-in host, never run\n";
   test::write_file(root / "host", host);
   for (const auto& [path, content] : files) {
      fs::create_directories((root / "staging" / path).parent_path());
      test::write_file(root / "staging" / path, content);
   }
   write_bundle(root / "host", root / "staging", root / "bundle");
   return {(root / "bundle").string(), host.size()};
}

Trailer read_trailer_of(int fd) {
   struct stat info {};
   EXPECT_EQ(::fstat(fd, &info), 0);
   std::uint8_t bytes[kTrailerSize] = {};
   EXPECT_EQ(::pread(fd, bytes, sizeof bytes, info.st_size - static_cast<off_t>(kTrailerSize)),
             static_cast<ssize_t>(kTrailerSize));
   const auto trailer = decode_trailer(bytes, static_cast<std::uint64_t>(info.st_size));
   EXPECT_TRUE(trailer.has_value());
   return trailer.value_or(Trailer{});
}

}  // namespace dpp::core::bundle

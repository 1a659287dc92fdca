// Unit tests of the bundle format (core/bundle): SHA-256, trailer, entry paths, and that what the
// writer packs is exactly what the reader unpacks.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "bundle/bundle_format.hpp"
#include "bundle/bundle_writer.hpp"
#include "bundle/payload_reader.hpp"
#include "bundle/sha256.hpp"
#include "bundle/unique_fd.hpp"
#include "bundle_fixture.hpp"
#include "support/temp_dir.hpp"

namespace dpp::core::bundle {
namespace {

std::string sha256_hex(const std::string& text) {
   Sha256 hash;
   hash.update(text);
   return to_hex(hash.finish());
}

TEST(Sha256, MatchesTheFipsTestVectors) {
   EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
   EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
   EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
   EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
             "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, GivesTheSameDigestHoweverTheInputIsSplit) {
   std::string text;
   for (int i = 0; i < 1000; ++i) text += static_cast<char>(i * 7);
   const std::string whole = sha256_hex(text);
   for (std::size_t step : {1u, 3u, 63u, 64u, 65u, 500u}) {
      Sha256 hash;
      for (std::size_t at = 0; at < text.size(); at += step) hash.update(text.substr(at, step));
      EXPECT_EQ(to_hex(hash.finish()), whole) << "step " << step;
   }
}

TEST(BundleTrailer, RoundTripsThroughItsEncoding) {
   Trailer trailer;
   trailer.payload_offset = 1000;
   trailer.payload_size = 500;
   trailer.unpacked_size = 123456;
   trailer.entry_count = 7;
   for (std::size_t i = 0; i < 32; ++i) trailer.payload_sha256[i] = static_cast<std::uint8_t>(i * 9);
   const auto bytes = encode_trailer(trailer);
   const auto decoded = decode_trailer(bytes.data(), 1000 + 500 + kTrailerSize);
   ASSERT_TRUE(decoded.has_value());
   EXPECT_EQ(decoded->payload_offset, 1000u);
   EXPECT_EQ(decoded->payload_size, 500u);
   EXPECT_EQ(decoded->unpacked_size, 123456u);
   EXPECT_EQ(decoded->entry_count, 7u);
   EXPECT_EQ(decoded->payload_sha256, trailer.payload_sha256);
}

TEST(BundleTrailer, IsAbsentFromAnOrdinaryExecutable) {
   std::uint8_t bytes[kTrailerSize] = {};
   EXPECT_FALSE(decode_trailer(bytes, 4096).has_value());
}

TEST(BundleTrailer, ThatDoesNotFitTheFileIsDamage) {
   Trailer trailer;
   trailer.payload_offset = 1000;
   trailer.payload_size = 500;
   trailer.entry_count = 1;
   const auto bytes = encode_trailer(trailer);
   EXPECT_THROW(decode_trailer(bytes.data(), 1000 + 499 + kTrailerSize), BundleDamaged);  // truncated
   EXPECT_THROW(decode_trailer(bytes.data(), 1000 + 501 + kTrailerSize), BundleDamaged);  // grown
   trailer.entry_count = 0;
   const auto empty = encode_trailer(trailer);
   EXPECT_THROW(decode_trailer(empty.data(), 1000 + 500 + kTrailerSize), BundleDamaged);
}

TEST(BundleEntryPath, AcceptsOnlyPlainRelativeNames) {
   for (const char* good :
        {"plugins/dpp-key.so", "lib/libstdc++.so.6", "lib/libPocoNet.so.80", "a", "a/b/c/d"})
      EXPECT_TRUE(is_valid_entry_path(good)) << good;
   for (const char* bad : {"", "/etc/passwd", "../x", "a/../b", "a/./b", "a//b", "a/", ".bundle-stamp",
                           "plugins/.hidden", "a b", "a\\b", "a/b/c/d/e", "lib/x\n"})
      EXPECT_FALSE(is_valid_entry_path(bad)) << bad;
}

TEST(BundleWriter, PacksEveryStagedFileSoTheReaderGetsTheSameBytes) {
   dpp::test::TempDir dir("dpp-bundle");
   const std::map<std::string, std::string> files = {{"plugins/dpp-a.so", std::string(300000, 'a') + "end"},
                                                     {"plugins/dpp-b.so", "b"},
                                                     {"lib/libempty.so.1", ""},
                                                     {"lib/libx.so.2", test::random_bytes(70000)}};
   const BundleParts parts = make_bundle(dir, files);
   UniqueFd fd(::open(parts.bundle.c_str(), O_RDONLY | O_CLOEXEC));
   ASSERT_TRUE(fd);
   const Trailer trailer = read_trailer_of(fd.get());
   EXPECT_EQ(trailer.entry_count, files.size());
   EXPECT_EQ(trailer.payload_offset, parts.host_size);
   PayloadReader reader(fd.get(), trailer);
   PayloadReader::Entry entry;
   std::map<std::string, std::string> seen;
   std::vector<char> buffer(4096);
   while (reader.next(entry)) {
      std::string content;
      for (std::size_t got; (got = reader.read(buffer.data(), buffer.size())) > 0;)
         content.append(buffer.data(), got);
      EXPECT_EQ(content.size(), entry.size);
      seen[entry.path] = content;
   }
   EXPECT_EQ(seen, files);
}

TEST(BundleWriter, GivesTheSameBytesForTheSameInputs) {
   dpp::test::TempDir dir("dpp-bundle");
   const std::map<std::string, std::string> files = {{"plugins/dpp-a.so", "aaa"}, {"lib/libx.so.1", "x"}};
   const BundleParts first = make_bundle(dir, files, "one");
   const BundleParts second = make_bundle(dir, files, "two");
   EXPECT_EQ(test::read_file(first.bundle), test::read_file(second.bundle));
}

TEST(PayloadReader, RefusesAPayloadWhoseBytesWereChanged) {
   dpp::test::TempDir dir("dpp-bundle");
   const BundleParts parts = make_bundle(dir, {{"plugins/dpp-a.so", test::random_bytes(50000)}});
   std::string bytes = test::read_file(parts.bundle);
   bytes[parts.host_size + 200] ^= 0x55;
   test::write_file(parts.bundle, bytes);
   UniqueFd fd(::open(parts.bundle.c_str(), O_RDONLY | O_CLOEXEC));
   const Trailer trailer = read_trailer_of(fd.get());
   PayloadReader reader(fd.get(), trailer);
   PayloadReader::Entry entry;
   std::vector<char> buffer(4096);
   EXPECT_THROW(
       {
          while (reader.next(entry))
             while (reader.read(buffer.data(), buffer.size()) > 0) {
             }
       },
       BundleDamaged);
}

}  // namespace
}  // namespace dpp::core::bundle

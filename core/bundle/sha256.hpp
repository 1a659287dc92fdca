// SHA-256 (FIPS 180-4), small and dependency-free: the host checks its own appended payload
// with it and must not link OpenSSL for that (the released host needs only glibc).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace dpp::core::bundle {

class Sha256 {
 public:
   using Digest = std::array<std::uint8_t, 32>;

   Sha256();
   void update(const void* data, std::size_t size);
   void update(std::string_view text) { update(text.data(), text.size()); }
   // The digest of everything given so far; the object must not be updated afterwards.
   Digest finish();

 private:
   void compress(const std::uint8_t* block);

   std::array<std::uint32_t, 8> state_;
   std::array<std::uint8_t, 64> buffer_{};
   std::size_t buffered_ = 0;
   std::uint64_t total_bytes_ = 0;
};

// Lower-case hex of a digest (64 characters).
std::string to_hex(const Sha256::Digest& digest);

}  // namespace dpp::core::bundle

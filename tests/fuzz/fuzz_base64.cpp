// Fuzzes base64 (plugins/common/base64), which reads host keys and key blobs: encoding then
// decoding gives the bytes back, and a text that decodes is the canonical encoding of what it
// decodes to (so two different texts never stand for one key).
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/base64.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
   const std::string input(reinterpret_cast<const char*>(data), size);
   using dpp::fuzz::shown;

   const std::string encoded = dpp::plugins::base64_encode(input);
   FUZZ_CHECK(encoded.size() == (input.size() + 2) / 3 * 4, "encoded length " + std::to_string(encoded.size()));
   const auto decoded = dpp::plugins::base64_decode(encoded);
   FUZZ_CHECK(decoded && *decoded == input, "round trip failed for " + shown(input));

   if (const auto bytes = dpp::plugins::base64_decode(input))
      FUZZ_CHECK(dpp::plugins::base64_encode(*bytes) == input,
                 "accepted a non-canonical text: " + shown(input) + " decodes to " + shown(*bytes) +
                     ", whose encoding is " + shown(dpp::plugins::base64_encode(*bytes)));
   return 0;
}

// Standard base64 with padding.
#include "common/base64.hpp"

#include <array>
#include <cstdint>

namespace dpp::plugins {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int8_t, 256> make_table() {
   std::array<int8_t, 256> table{};
   for (auto& entry : table) entry = -1;
   for (int i = 0; i < 64; ++i) table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int8_t>(i);
   return table;
}
constexpr auto kTable = make_table();

}  // namespace

std::string base64_encode(std::string_view bytes) {
   std::string out;
   out.reserve((bytes.size() + 2) / 3 * 4);
   std::size_t i = 0;
   for (; i + 3 <= bytes.size(); i += 3) {
      const uint32_t n = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                         static_cast<uint8_t>(bytes[i + 2]);
      out += kAlphabet[(n >> 18) & 63];
      out += kAlphabet[(n >> 12) & 63];
      out += kAlphabet[(n >> 6) & 63];
      out += kAlphabet[n & 63];
   }
   const std::size_t rest = bytes.size() - i;
   if (rest == 1) {
      const uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
      out += kAlphabet[(n >> 18) & 63];
      out += kAlphabet[(n >> 12) & 63];
      out += "==";
   } else if (rest == 2) {
      const uint32_t n = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8);
      out += kAlphabet[(n >> 18) & 63];
      out += kAlphabet[(n >> 12) & 63];
      out += kAlphabet[(n >> 6) & 63];
      out += '=';
   }
   return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
   if (text.size() % 4 != 0) return std::nullopt;
   std::string out;
   out.reserve(text.size() / 4 * 3);
   for (std::size_t i = 0; i < text.size(); i += 4) {
      int values[4];
      int padding = 0;
      for (int k = 0; k < 4; ++k) {
         const char c = text[i + k];
         if (c == '=') {
            // Padding only at the very end, in the last one or two places.
            if (i + 4 != text.size() || k < 2) return std::nullopt;
            values[k] = 0;
            ++padding;
         } else {
            if (padding > 0) return std::nullopt;
            values[k] = kTable[static_cast<unsigned char>(c)];
            if (values[k] < 0) return std::nullopt;
         }
      }
      // The bits padding drops must be zero: otherwise two texts would stand for the same bytes.
      if ((padding == 2 && (values[1] & 0x0F) != 0) || (padding == 1 && (values[2] & 0x03) != 0))
         return std::nullopt;
      const uint32_t n = (values[0] << 18) | (values[1] << 12) | (values[2] << 6) | values[3];
      out += static_cast<char>((n >> 16) & 0xFF);
      if (padding < 2) out += static_cast<char>((n >> 8) & 0xFF);
      if (padding < 1) out += static_cast<char>(n & 0xFF);
   }
   return out;
}

}  // namespace dpp::plugins

// Small text helpers shared by the plugins.
#include "common/text.hpp"

namespace dpp::plugins {

std::size_t utf8_sequence(std::string_view text, std::size_t at, uint32_t& cp) {
   const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
   const unsigned char first = byte(at);
   std::size_t length = 0;
   uint32_t minimum = 0;
   if (first < 0x80) {
      cp = first;
      return 1;
   }
   if ((first & 0xE0) == 0xC0) {
      length = 2;
      cp = first & 0x1F;
      minimum = 0x80;
   } else if ((first & 0xF0) == 0xE0) {
      length = 3;
      cp = first & 0x0F;
      minimum = 0x800;
   } else if ((first & 0xF8) == 0xF0) {
      length = 4;
      cp = first & 0x07;
      minimum = 0x10000;
   } else {
      return 0;
   }
   if (at + length > text.size()) return 0;
   for (std::size_t i = 1; i < length; ++i) {
      if ((byte(at + i) & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (byte(at + i) & 0x3F);
   }
   if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
   return length;
}

bool is_valid_utf8(std::string_view text) {
   for (std::size_t at = 0; at < text.size();) {
      uint32_t cp = 0;
      const std::size_t length = utf8_sequence(text, at, cp);
      if (length == 0) return false;
      at += length;
   }
   return true;
}

std::string shell_quote(std::string_view text) {
   std::string out;
   out.reserve(text.size() + 2);
   out += '\'';
   for (char c : text) {
      if (c == '\'')
         out += "'\\''";
      else
         out += c;
   }
   out += '\'';
   return out;
}

}  // namespace dpp::plugins

// Small text helpers shared by the host.
#include "util/text.hpp"

#include <cstdint>
#include <cstdio>

namespace dpp::core {

bool is_valid_utf8(std::string_view text) {
   std::size_t i = 0;
   const std::size_t n = text.size();
   while (i < n) {
      const auto byte = static_cast<unsigned char>(text[i]);
      if (byte < 0x80) {
         ++i;
         continue;
      }
      std::size_t length;
      uint32_t code;
      if ((byte & 0xE0) == 0xC0) {
         length = 2;
         code = byte & 0x1F;
      } else if ((byte & 0xF0) == 0xE0) {
         length = 3;
         code = byte & 0x0F;
      } else if ((byte & 0xF8) == 0xF0) {
         length = 4;
         code = byte & 0x07;
      } else {
         return false;
      }
      if (i + length > n) return false;
      for (std::size_t k = 1; k < length; ++k) {
         const auto next = static_cast<unsigned char>(text[i + k]);
         if ((next & 0xC0) != 0x80) return false;
         code = (code << 6) | (next & 0x3F);
      }
      static constexpr uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
      if (code < kMinimum[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
      i += length;
   }
   return true;
}

bool has_control_characters(std::string_view text) {
   for (char c : text) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte < 0x20 || byte == 0x7F) return true;
   }
   return false;
}

std::string to_lower(std::string_view text) {
   std::string out(text);
   for (char& c : out)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
   return out;
}

std::string_view trim(std::string_view text) {
   const char* spaces = " \t\r\n";
   const auto first = text.find_first_not_of(spaces);
   if (first == std::string_view::npos) return {};
   const auto last = text.find_last_not_of(spaces);
   return text.substr(first, last - first + 1);
}

std::vector<std::string> split(std::string_view text, char separator) {
   std::vector<std::string> parts;
   std::size_t start = 0;
   while (true) {
      const auto end = text.find(separator, start);
      parts.emplace_back(text.substr(start, end == std::string_view::npos ? end : end - start));
      if (end == std::string_view::npos) break;
      start = end + 1;
   }
   return parts;
}

std::string shell_quote(std::string_view text) {
   std::string out = "'";
   for (char c : text) {
      if (c == '\'')
         out += "'\\''";
      else
         out += c;
   }
   out += '\'';
   return out;
}

std::string printable_excerpt(std::string_view text, std::size_t limit) {
   std::string out;
   std::size_t shown = 0;
   for (std::size_t i = 0; i < text.size() && shown < limit; ++i, ++shown) {
      const auto byte = static_cast<unsigned char>(text[i]);
      if (byte < 0x20 || byte == 0x7F || byte >= 0x80) {
         char escaped[8];
         std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
         out += escaped;
      } else {
         out += static_cast<char>(byte);
      }
   }
   if (shown < text.size()) out += "… (" + std::to_string(text.size()) + " bytes)";
   return out;
}

std::string printable_text(std::string_view text, std::string_view newline) {
   if (!is_valid_utf8(text)) return printable_excerpt(text, text.size());
   std::string out;
   out.reserve(text.size());
   for (char c : text) {
      const auto byte = static_cast<unsigned char>(c);
      if (c == '\n') {
         out += newline;
      } else if ((byte < 0x20 && c != '\t') || byte == 0x7F) {
         char escaped[8];
         std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
         out += escaped;
      } else {
         out += c;
      }
   }
   return out;
}

}  // namespace dpp::core

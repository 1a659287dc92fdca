// Helpers shared by the fuzz targets: a property check that stops the run with a message
// libFuzzer records beside the crashing input.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace dpp::fuzz {

// A broken property is a finding like a crash: print what broke and abort, so that libFuzzer
// saves the input as crash-<sha1> and tools/fuzz fails.
[[noreturn]] inline void property_failed(const char* file, int line, const char* condition, const std::string& detail) {
   std::fprintf(stderr, "\n%s:%d: property broken: %s\n%s\n", file, line, condition, detail.c_str());
   std::abort();
}

// The input as text, printable, for property messages.
inline std::string shown(std::string_view text, std::size_t limit = 200) {
   std::string out;
   for (std::size_t i = 0; i < text.size() && i < limit; ++i) {
      const auto c = static_cast<unsigned char>(text[i]);
      if (c >= 0x20 && c < 0x7f && c != '\\') {
         out += static_cast<char>(c);
      } else {
         char escaped[8];
         std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
         out += escaped;
      }
   }
   if (text.size() > limit) out += "...";
   return out;
}

}  // namespace dpp::fuzz

#define FUZZ_CHECK(condition, detail) \
   do {                                \
      if (!(condition)) ::dpp::fuzz::property_failed(__FILE__, __LINE__, #condition, (detail)); \
   } while (0)

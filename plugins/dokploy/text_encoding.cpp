// YAML, dotenv and sh quoting that carry any value unchanged.
#include "text_encoding.hpp"

#include <dpp/cpp/plugin.hpp>

namespace dpp::dokploy {
namespace {

using dpp::sdk::Error;

// \uXXXX: only called for code points below U+10000.
void append_u_escape(std::string& out, uint32_t cp) {
   static const char* digits = "0123456789ABCDEF";
   out += "\\u";
   for (int shift = 12; shift >= 0; shift -= 4) out += digits[(cp >> shift) & 0xF];
}

}  // namespace

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

bool valid_utf8(std::string_view text) {
   for (std::size_t at = 0; at < text.size();) {
      uint32_t cp = 0;
      const std::size_t length = utf8_sequence(text, at, cp);
      if (length == 0) return false;
      at += length;
   }
   return true;
}

std::string yaml_quoted(std::string_view text, bool compose) {
   std::string out = "\"";
   out.reserve(text.size() + 8);
   for (std::size_t at = 0; at < text.size();) {
      uint32_t cp = 0;
      const std::size_t length = utf8_sequence(text, at, cp);
      if (length == 0) throw Error(DPP_E_CONFIG, "a workspace value is not valid UTF-8");
      if (cp == 0) throw Error(DPP_E_CONFIG, "a workspace value contains a NUL character");
      switch (cp) {
         case '"': out += "\\\""; break;
         case '\\': out += "\\\\"; break;
         case '\n': out += "\\n"; break;
         case '\t': out += "\\t"; break;
         case '\r': out += "\\r"; break;
         case '$': out += compose ? "$$" : "$"; break;
         default:
            // C0/C1 controls, DEL, and what YAML 1.1 parsers take for line breaks (NEL, LS, PS)
            // or a byte order mark: escaped so that no parser sees anything but the characters.
            if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
                cp == 0xFEFF)
               append_u_escape(out, cp);
            else
               out.append(text.substr(at, length));
      }
      at += length;
   }
   out += '"';
   return out;
}

std::string dotenv_line(std::string_view name, std::string_view value) {
   if (!valid_env_name(name))
      throw Error(DPP_E_CONFIG, "'" + std::string(name) + "' cannot be an environment variable name");
   if (!valid_utf8(value) || value.find('\0') != std::string_view::npos)
      throw Error(DPP_E_CONFIG, "the value of " + std::string(name) + " is not valid UTF-8 text");
   if (value.find('\r') != std::string_view::npos)
      throw Error(DPP_E_CONFIG,
                  "the value of " + std::string(name) +
                      " contains a carriage return, which Dokploy's environment parser turns into a "
                      "line feed; use DOKPLOY_SERVICE_TYPE=compose");
   if (value.find("${{") != std::string_view::npos)
      throw Error(DPP_E_CONFIG, "the value of " + std::string(name) +
                                    " contains '${{', which Dokploy resolves as a variable reference; use "
                                    "DOKPLOY_SERVICE_TYPE=compose");
   // dotenv keeps single- and back-quoted values literally (line breaks included) and only
   // rewrites \n and \r inside double quotes; the first quote the value lacks carries it intact.
   for (char quote : {'\'', '`'})
      if (value.find(quote) == std::string_view::npos)
         return std::string(name) + "=" + quote + std::string(value) + quote;
   if (value.find('"') == std::string_view::npos && value.find("\\n") == std::string_view::npos &&
       value.find("\\r") == std::string_view::npos)
      return std::string(name) + "=\"" + std::string(value) + "\"";
   throw Error(DPP_E_CONFIG,
               "the value of " + std::string(name) +
                   " holds every quote character (' ` \") and cannot be passed through Dokploy's "
                   "environment format; use DOKPLOY_SERVICE_TYPE=compose");
}

std::string shell_quoted(std::string_view text) {
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

bool valid_env_name(std::string_view name) {
   if (name.empty()) return false;
   for (std::size_t i = 0; i < name.size(); ++i) {
      const char c = name[i];
      const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
      if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
   }
   return true;
}

}  // namespace dpp::dokploy

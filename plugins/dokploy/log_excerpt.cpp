// Picking the lines of a deployment log that say what went wrong, and making them safe to show.
#include "log_excerpt.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "text_encoding.hpp"

namespace dpp::dokploy {
namespace {

constexpr std::string_view kRedacted = "<redacted>";
// Shorter values are not secrets worth the damage their replacement does to the text ("auto",
// a user name, a port).
constexpr std::size_t kShortestSecret = 8;
// A run of base64 characters this long, with upper and lower case and digits, is key material.
constexpr std::size_t kRandomRun = 32;

// Dokploy's own lines that come with every deploy, or every failed one, and say nothing about why.
constexpr std::array<std::string_view, 3> kGenericLines = {
    "Initializing deployment",
    "Error occurred ❌, check the logs for details.",
    "Error: ❌ Script execution failed",
};

// docker pull's per-layer progress ("3f4ca61aafcd: Downloading [==>  ]  1.2MB/30MB").
constexpr std::array<std::string_view, 9> kLayerProgress = {
    "Pulling fs layer", "Waiting",       "Downloading",    "Verifying Checksum", "Download complete",
    "Extracting",       "Pull complete", "Already exists", "Retrying",
};

void replace_all(std::string& text, std::string_view needle) {
   if (needle.empty()) return;
   for (std::size_t at = text.find(needle); at != std::string::npos;
        at = text.find(needle, at + kRedacted.size()))
      text.replace(at, needle.size(), kRedacted);
}

// A value as it may stand in the log: as given, with Compose's $$ escapes, inside a YAML/JSON
// double-quoted scalar (with and without them), and each line of these on its own.
std::vector<std::string> spellings(const std::string& secret) {
   std::vector<std::string> whole = {secret};
   std::string doubled;
   for (char c : secret) doubled += c == '$' ? std::string("$$") : std::string(1, c);
   whole.push_back(doubled);
   if (valid_utf8(secret) && secret.find('\0') == std::string::npos)
      for (bool compose : {false, true}) {
         const std::string quoted = yaml_quoted(secret, compose);
         whole.push_back(quoted.substr(1, quoted.size() - 2));
      }
   std::vector<std::string> out = whole;
   for (const std::string& spelling : whole)
      for (std::size_t start = 0; start < spelling.size();) {
         const std::size_t end = std::min(spelling.find('\n', start), spelling.size());
         out.push_back(spelling.substr(start, end - start));
         start = end + 1;
      }
   std::erase_if(out, [](const std::string& s) { return s.size() < kShortestSecret; });
   // Longest first, so that a line of a value does not break up the whole value's match.
   std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
   return out;
}

bool base64_char(char c) {
   return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
          c == '/' || c == '=';
}

void redact_random_runs(std::string& line) {
   std::string out;
   for (std::size_t at = 0; at < line.size();) {
      if (!base64_char(line[at])) {
         out += line[at++];
         continue;
      }
      std::size_t end = at;
      bool upper = false, lower = false, digit = false;
      for (; end < line.size() && base64_char(line[end]); ++end) {
         upper |= line[end] >= 'A' && line[end] <= 'Z';
         lower |= line[end] >= 'a' && line[end] <= 'z';
         digit |= line[end] >= '0' && line[end] <= '9';
      }
      if (end - at >= kRandomRun && upper && lower && digit)
         out += kRedacted;
      else
         out.append(line, at, end - at);
      at = end;
   }
   line = std::move(out);
}

// Terminal escape sequences: CSI (ESC [ … final byte), OSC (ESC ] … BEL or ESC \), and two-byte ones.
std::string without_escapes(std::string_view text) {
   std::string out;
   out.reserve(text.size());
   for (std::size_t at = 0; at < text.size(); ++at) {
      if (text[at] != '\x1b') {
         out += text[at];
         continue;
      }
      if (at + 1 >= text.size()) break;
      const char kind = text[at + 1];
      std::size_t end = at + 2;
      if (kind == '[') {
         while (end < text.size() && !(text[end] >= 0x40 && text[end] <= 0x7E)) ++end;
      } else if (kind == ']') {
         while (end < text.size() && text[end] != '\a' &&
                !(text[end] == '\x1b' && end + 1 < text.size() && text[end + 1] == '\\'))
            ++end;
         if (end < text.size() && text[end] == '\x1b') ++end;
      } else {
         end = at + 1;
      }
      at = end;
   }
   return out;
}

// What a terminal would show of a line that redraws itself with carriage returns.
std::string_view last_redraw(std::string_view line) {
   while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
   const std::size_t cr = line.rfind('\r');
   return cr == std::string_view::npos ? line : line.substr(cr + 1);
}

// Printable UTF-8 only: controls become spaces (tabs too), malformed bytes go; at most `chars`
// code points (npos: all), then "…".
std::string printable(std::string_view text, std::size_t chars) {
   std::string out;
   std::size_t count = 0;
   for (std::size_t at = 0; at < text.size();) {
      uint32_t cp = 0;
      const std::size_t length = utf8_sequence(text, at, cp);
      if (length == 0) {
         ++at;
         continue;
      }
      if (count == chars) {
         out += "…";
         break;
      }
      if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029)
         out += ' ';
      else
         out.append(text.substr(at, length));
      ++count;
      at += length;
   }
   return out;
}

std::string_view trimmed(std::string_view text) {
   while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
   while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
   return text;
}

// Box drawing (U+2500-U+257F: E2 94 80 - E2 95 BF), which Dokploy's banner is made of.
bool starts_with_box_drawing(std::string_view line) {
   return line.size() >= 3 && static_cast<unsigned char>(line[0]) == 0xE2 &&
          (static_cast<unsigned char>(line[1]) == 0x94 || static_cast<unsigned char>(line[1]) == 0x95);
}

bool layer_progress(std::string_view line) {
   if (line.size() < 14 || line[12] != ':' || line[13] != ' ') return false;
   for (std::size_t i = 0; i < 12; ++i)
      if (!((line[i] >= '0' && line[i] <= '9') || (line[i] >= 'a' && line[i] <= 'f'))) return false;
   const std::string_view rest = line.substr(14);
   return std::any_of(kLayerProgress.begin(), kLayerProgress.end(),
                      [&](std::string_view word) { return rest.starts_with(word); });
}

bool meaningful(std::string_view line) {
   if (line.empty() || starts_with_box_drawing(line) || layer_progress(line)) return false;
   return std::find(kGenericLines.begin(), kGenericLines.end(), line) == kGenericLines.end();
}

}  // namespace

std::vector<std::string> log_excerpt(std::string_view log, const std::vector<std::string>& secrets,
                                     ExcerptLimits limits) {
   // Secrets first, on the whole text: a value may span lines, and escapes may split one up.
   std::string text = without_escapes(log);
   for (const std::string& secret : secrets)
      for (const std::string& spelling : spellings(secret)) replace_all(text, spelling);
   std::vector<std::string> kept;
   for (std::size_t start = 0; start <= text.size();) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      std::string line(last_redraw(std::string_view(text).substr(start, end - start)));
      redact_random_runs(line);
      const std::string shown(trimmed(printable(line, std::string::npos)));
      if (meaningful(shown)) kept.push_back(printable(shown, limits.chars));
      start = end + 1;
   }
   if (kept.size() > limits.lines) kept.erase(kept.begin(), kept.end() - static_cast<long>(limits.lines));
   return kept;
}

}  // namespace dpp::dokploy

// Fuzzes the login-shell-proof encoding of DevPod's COMMAND (plugins/common/ssh_remote_command):
// what sh finally runs is exactly the input, and the string the login shell sees is
// `exec sh -c '<X>'` with X free of ', \, ! and control characters.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/ssh_remote_command.hpp"
#include "common/text.hpp"
#include "fuzz_support.hpp"

namespace {

using dpp::fuzz::shown;

constexpr std::string_view kOpen = "exec sh -c '";
constexpr std::string_view kDecoderPrefix = "b=$(printf %s X | LC_ALL=C tr VWXYZ Z-^); s=$(printf \"";
constexpr std::string_view kDecoderSuffix = ".\"); eval \"unset b s; ${s%.}\"";

bool quote_safe(unsigned char c) {
   return c >= 0x20 && c < 0x7f && c != '\'' && c != '\\' && c != '!';
}

// The script sh runs for `exec sh -c '<code>'`: `code` itself, or, when code is the decoder,
// what its printf format spells (as dash's and bash's printf read it: ${b} is a backslash,
// \NNN an octal byte, %% a percent sign): the decoder's final '.' keeps the script's trailing
// newlines through the command substitution, and `${s%.}` removes only that '.'. nullopt when the
// code is neither.
std::optional<std::string> decode_printf_format(std::string_view code) {
   if (!code.starts_with(kDecoderPrefix) || !code.ends_with(kDecoderSuffix)) return std::nullopt;
   std::string_view format =
       code.substr(kDecoderPrefix.size(), code.size() - kDecoderPrefix.size() - kDecoderSuffix.size());
   std::string out;
   for (std::size_t i = 0; i < format.size();) {
      if (format.substr(i).starts_with("${b}")) {
         if (i + 7 > format.size()) return std::nullopt;
         int value = 0;
         for (std::size_t k = 4; k < 7; ++k) {
            const char d = format[i + k];
            if (d < '0' || d > '7') return std::nullopt;
            value = value * 8 + (d - '0');
         }
         if (value > 255) return std::nullopt;
         out += static_cast<char>(value);
         i += 7;
      } else if (format.substr(i).starts_with("%%")) {
         out += '%';
         i += 2;
      } else {
         const auto c = static_cast<unsigned char>(format[i]);
         // Inside sh double quotes and a printf format these would be interpreted.
         if (!quote_safe(c) || c == '"' || c == '$' || c == '`' || c == '%') return std::nullopt;
         if (out.empty() && c == '-') return std::nullopt;  // read as an option by bash's printf
         out += static_cast<char>(c);
         ++i;
      }
   }
   return out;
}

// The X of `exec sh -c '<X>'`, after checking the documented form.
std::string inner_code(const std::string& command, std::string_view input) {
   FUZZ_CHECK(command.starts_with(kOpen) && command.size() > kOpen.size() && command.back() == '\'',
              "not `exec sh -c '...'` for input " + shown(input) + ": " + shown(command));
   const std::string code = command.substr(kOpen.size(), command.size() - kOpen.size() - 1);
   for (char c : code)
      FUZZ_CHECK(quote_safe(static_cast<unsigned char>(c)),
                 "unsafe byte in the quoted part for input " + shown(input) + ": " + shown(code));
   return code;
}

// What sh runs for the command string.
std::string what_sh_runs(const std::string& command, std::string_view input) {
   const std::string code = inner_code(command, input);
   if (auto decoded = decode_printf_format(code)) return *decoded;
   return code;
}

// Reads sh single quoting ('it'\''s') at `at`; nullopt when malformed.
std::optional<std::string> read_single_quoted(std::string_view text, std::size_t& at) {
   std::string out;
   if (at >= text.size() || text[at] != '\'') return std::nullopt;
   ++at;
   while (true) {
      const auto close = text.find('\'', at);
      if (close == std::string_view::npos) return std::nullopt;
      out.append(text.substr(at, close - at));
      at = close + 1;
      if (text.substr(at).starts_with("\\''")) {
         out += '\'';
         at += 3;
         continue;
      }
      return out;
   }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
   // DevPod's COMMAND comes from the environment: a C string, so it never holds a NUL.
   std::string script(reinterpret_cast<const char*>(data), size);
   if (script.find('\0') != std::string::npos) return -1;

   const std::string plain = dpp::plugins::ssh_remote_command(script);
   const std::string ran = what_sh_runs(plain, script);
   if (dpp::plugins::ssh_script_is_quote_safe(script)) {
      FUZZ_CHECK(ran == script || inner_code(plain, script) == script,
                 "a quote-safe script was changed: " + shown(script));
   } else {
      FUZZ_CHECK(inner_code(plain, script) != script, "an unsafe script was sent as it is: " + shown(script));
      FUZZ_CHECK(ran == script, "decoding gives " + shown(ran) + " instead of " + shown(script));
   }

   // The variant that reports signals wraps `sh -c '<script>'\nexit $?\n` the same way.
   const std::string reporting = dpp::plugins::ssh_remote_command_reporting_signals(script);
   const std::string code =
       dpp::plugins::ssh_script_is_quote_safe("sh -c " + dpp::plugins::shell_quote(script) + "\nexit $?\n")
           ? inner_code(reporting, script)
           : what_sh_runs(reporting, script);
   FUZZ_CHECK(code.starts_with("sh -c ") && code.ends_with("\nexit $?\n"),
              "the signal-reporting wrapper has another shape: " + shown(code));
   const std::size_t tail = 9;
   std::size_t at = 6;
   const std::optional<std::string> inner =
       read_single_quoted(std::string_view(code).substr(0, code.size() - tail), at);
   FUZZ_CHECK(inner && at == code.size() - tail && *inner == script,
              "the signal-reporting wrapper does not carry " + shown(script) + ": " + shown(code));
   return 0;
}

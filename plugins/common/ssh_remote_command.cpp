// The login-shell-proof wrapping of remote commands (scheme in the header).
#include "common/ssh_remote_command.hpp"

#include "common/text.hpp"

#include <array>

namespace dpp::plugins {
namespace {

// Safe between single quotes for sh, bash, zsh, fish, csh and tcsh.
constexpr bool quote_safe(unsigned char c) {
   return c >= 0x20 && c < 0x7f && c != '\'' && c != '\\' && c != '!';
}

// Safe, and also literal inside sh double quotes and in a printf format.
constexpr bool format_literal(unsigned char c) {
   return quote_safe(c) && c != '"' && c != '$' && c != '`' && c != '%';
}

constexpr std::array<bool, 256> make_table(bool (*predicate)(unsigned char)) {
   std::array<bool, 256> table{};
   for (int c = 0; c < 256; ++c) table[c] = predicate(static_cast<unsigned char>(c));
   return table;
}
constexpr auto kQuoteSafe = make_table(quote_safe);
constexpr auto kFormatLiteral = make_table(format_literal);

// The '.' keeps the script's trailing newlines from the command substitution (a script ending in
// a line continuation needs them); `unset` keeps the decoder's variables from the script.
constexpr std::string_view kDecoderPrefix = "b=$(printf %s X | LC_ALL=C tr VWXYZ Z-^); s=$(printf \"";
constexpr std::string_view kDecoderSuffix = ".\"); eval \"unset b s; ${s%.}\"";

std::string exec_sh(std::string_view script) {
   std::string code = ssh_script_is_quote_safe(script) ? std::string(script) : ssh_encode_script(script);
   std::string out;
   out.reserve(code.size() + 16);
   out += "exec sh -c '";
   out += code;
   out += '\'';
   return out;
}

}  // namespace

bool ssh_script_is_quote_safe(std::string_view script) {
   for (char c : script)
      if (!kQuoteSafe[static_cast<unsigned char>(c)]) return false;
   return true;
}

std::string ssh_encode_script(std::string_view script) {
   std::string out;
   out.reserve(kDecoderPrefix.size() + script.size() * 2 + kDecoderSuffix.size());
   out += kDecoderPrefix;
   bool first = true;
   for (char ch : script) {
      const auto c = static_cast<unsigned char>(ch);
      // A leading '-' would read as an option to bash's printf builtin.
      if (kFormatLiteral[c] && !(first && c == '-')) {
         out += ch;
      } else if (c == '%') {
         out += "%%";
      } else {
         const char octal[] = {'$',
                               '{',
                               'b',
                               '}',
                               static_cast<char>('0' + ((c >> 6) & 7)),
                               static_cast<char>('0' + ((c >> 3) & 7)),
                               static_cast<char>('0' + (c & 7))};
         out.append(octal, sizeof octal);
      }
      first = false;
   }
   out += kDecoderSuffix;
   return out;
}

std::string ssh_remote_command(std::string_view script) {
   return exec_sh(script);
}

std::string ssh_remote_command_reporting_signals(std::string_view script) {
   // Not `exec`: the parent sh stays to turn the child's death by a signal into 128+N.
   std::string code = "sh -c " + shell_quote(script) + "\nexit $?\n";
   return exec_sh(code);
}

}  // namespace dpp::plugins

// Hostile values and the helpers of the hostile-value tests.
#include "hostile_fixture.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>

#include "support/test_paths.hpp"

namespace dpp::test::hostile {

std::vector<HostileValue> hostile_values() {
   std::vector<HostileValue> values = {
       {"shell", "semicolon", "x; touch @CANARY@ #"},
       {"shell", "pipe_and", "x | touch @CANARY@ && touch @CANARY@ || touch @CANARY@ & touch @CANARY@"},
       {"shell", "redirect", "x > @CANARY@ < /etc/passwd 2>&1"},
       {"quotes", "single", "it's '; touch @CANARY@; echo '"},
       {"quotes", "double", "say \"hi\"; touch \"@CANARY@\""},
       {"substitution", "dollar_paren", "$(touch @CANARY@)"},
       {"substitution", "backticks", "`touch @CANARY@`"},
       {"substitution", "arithmetic", "$((6*7)) $[1+1]"},
       {"newline", "lf", "first\ntouch @CANARY@"},
       {"newline", "crlf", "first\r\ntouch @CANARY@"},
       {"variable", "braces", "${HOME} ${DOKPLOY_API_TOKEN} ${PATH:-x}"},
       {"variable", "plain", "$HOME$DOKPLOY_API_TOKEN $$ $1 $@ $*"},
       {"variable", "compose", "${{project.SECRET}} ${{environment.X}} $${X}"},
       {"yaml", "colon_space", "key: value"},
       {"yaml", "comment", "#not-a-comment # neither"},
       {"yaml", "anchor_alias", "&anchor *alias"},
       {"yaml", "tag", "!!python/object:os.system touch @CANARY@"},
       {"yaml", "flow", "{a: b, c: [d, e]}"},
       {"yaml", "block", "|\n  block\n>- folded"},
       {"yaml", "document", "---\n...\n%YAML 1.2"},
       {"yaml", "specials", "? - @ ` % ! & * | > ' \" ,[]{}"},
       {"size", "kib_4", std::string(4096, 'x')},
       {"size", "kib_4_plus_1", std::string(4097, 'x')},
       {"size", "kib_120", std::string(120 * 1024, 'y')},
       {"size", "mib_10", std::string(10 * 1024 * 1024, 'z'), false},
       {"utf8", "latin1", "caf\xe9"},
       {"utf8", "truncated", "\xe2\x82"},
       {"utf8", "overlong", "\xc0\xaf"},
       {"utf8", "surrogate", "\xed\xa0\x80"},
       {"utf8", "valid_nonascii", "caf\xc3\xa9 \xe2\x80\xa8 \xef\xbb\xbf \xf0\x9f\x98\x80"},
       {"control", "escape", "\x1b]0;pwned\x07\x1b[2J"},
       {"control", "tab", "a\tb"},
       {"control", "del", "a\x7f"},
       {"nul", "nul", std::string("a\0touch @CANARY@", 16), false},
   };
   return values;
}

std::vector<std::string> hostile_kinds_where(bool (*applies)(const HostileValue&)) {
   std::vector<std::string> kinds;
   for (const auto& value : hostile_values())
      if (applies(value) && std::find(kinds.begin(), kinds.end(), value.kind) == kinds.end())
         kinds.push_back(value.kind);
   return kinds;
}

std::vector<std::string> hostile_kinds() {
   return hostile_kinds_where([](const HostileValue&) { return true; });
}

std::vector<HostileValue> hostile_values_of(const std::string& kind) {
   std::vector<HostileValue> values;
   for (auto& value : hostile_values())
      if (value.kind == kind) values.push_back(std::move(value));
   return values;
}

std::string with_canary(const std::string& text, const std::string& canary) {
   std::string out = text;
   for (std::size_t at = 0; (at = out.find("@CANARY@", at)) != std::string::npos; at += canary.size())
      out.replace(at, 8, canary);
   return out;
}

namespace {

bool valid_utf8(const std::string& text) {
   std::size_t i = 0;
   while (i < text.size()) {
      const auto byte = static_cast<unsigned char>(text[i]);
      std::size_t length = byte < 0x80 ? 1 : (byte & 0xE0) == 0xC0 ? 2 : (byte & 0xF0) == 0xE0 ? 3 : (byte & 0xF8) == 0xF0 ? 4 : 0;
      if (length == 0 || i + length > text.size()) return false;
      uint32_t code = length == 1 ? byte : byte & (0xFF >> (length + 1));
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

}  // namespace

bool accepted_as_text(const std::string& value) {
   if (value.size() > 4096 || !valid_utf8(value)) return false;
   for (char c : value)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return false;
   return true;
}

EnvMap clean_environment() {
   EnvMap env;
   for (const auto& [name, value] : current_environment())
      if (name.rfind("DOKPLOY_", 0) != 0 && name.rfind("DEVPOD", 0) != 0 && name.rfind("MACHINE_", 0) != 0 &&
          name != "COMMAND" && name.rfind("DPP_", 0) != 0)
         env[name] = value;
   return env;
}

ProcessResult run_provider(const std::vector<std::string>& args, const EnvMap& env,
                           const std::optional<std::string>& stdin_data) {
   std::vector<std::string> argv = {provider_path()};
   argv.insert(argv.end(), args.begin(), args.end());
   ProcessResult result = run_process({.argv = argv, .env = env, .stdin_data = stdin_data}, std::chrono::minutes(5));
   EXPECT_EQ(result.signal, 0) << "dokploy-provider was killed by signal " << result.signal << "\n" << result.err;
   EXPECT_FALSE(result.timed_out);
   EXPECT_EQ(result.err.find("AddressSanitizer"), std::string::npos) << result.err;
   EXPECT_EQ(result.err.find("runtime error:"), std::string::npos) << result.err;
   return result;
}

std::string bootstrap_script() {
   std::ifstream in(source_dir() + "/core/workspace/workspace-bootstrap.sh", std::ios::binary);
   return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::map<std::string, nlohmann::json> workspace_specs(const Emulator& emulator) {
   std::map<std::string, nlohmann::json> specs;
   // Kept in a local: a range-for over `workspaces().items()` would outlive the temporary.
   const nlohmann::json workspaces = emulator.workspaces();
   for (const auto& [key, workspace] : workspaces.items())
      if (workspace.contains("spec") && !workspace["spec"].is_null()) specs[key] = workspace["spec"];
   return specs;
}

bool has_raw_control_bytes(const std::string& text) {
   for (char c : text)
      if ((static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') || c == 0x7F) return true;
   return false;
}

bool file_exists(const std::string& path) {
   struct stat info {};
   return ::lstat(path.c_str(), &info) == 0;
}

}  // namespace dpp::test::hostile

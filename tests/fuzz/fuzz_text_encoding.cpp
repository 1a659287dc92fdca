// Fuzzes the encodings that carry spec values into Dokploy (plugins/dokploy/text_encoding,
// compose_file and plugins/common/text): a YAML double-quoted scalar read back by a YAML parser, after
// Compose's
// $$ -> $ interpolation, is exactly the value; sh single quoting reads back exactly; a dotenv
// line is one NAME=<quoted value> whose quote does not occur inside; and a whole compose file
// built from hostile values parses as YAML with the workspace's values unchanged.
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/text.hpp"
#include "compose_file.hpp"
#include "fuzz_support.hpp"
#include "text_encoding.hpp"

namespace {

using dpp::fuzz::shown;

// Compose's interpolation of a value without variables: "$$" is a literal "$".
std::string compose_interpolated(const std::string& text) {
   std::string out;
   for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '$') {
         FUZZ_CHECK(i + 1 < text.size() && text[i + 1] == '$', "a lone $ reaches Compose: " + shown(text));
         ++i;
      }
      out += text[i];
   }
   return out;
}

std::string yaml_scalar(const std::string& document) {
   return YAML::Load(document).as<std::string>();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
   const std::string value(reinterpret_cast<const char*>(data), size);
   using namespace dpp::dokploy;

   std::string quoted;
   try {
      quoted = yaml_quoted(value);
   } catch (const dpp::sdk::Error& e) {
      FUZZ_CHECK(!dpp::plugins::is_valid_utf8(value) || value.find('\0') != std::string::npos,
                 std::string("refused a valid value: ") + e.what() + ": " + shown(value));
      return 0;
   }
   FUZZ_CHECK(quoted.find('\n') == std::string::npos, "a quoted scalar spans lines");
   std::string read_back;
   try {
      read_back = yaml_scalar(quoted);
   } catch (const YAML::Exception& e) {
      FUZZ_CHECK(false, std::string("YAML cannot read ") + shown(quoted) + ": " + e.what());
   }
   FUZZ_CHECK(compose_interpolated(read_back) == value,
              "YAML + Compose give " + shown(compose_interpolated(read_back)) + " for " + shown(value));
   FUZZ_CHECK(yaml_scalar(yaml_quoted(value, false)) == value,
              "plain YAML round trip failed: " + shown(value));

   // sh single quotes.
   const std::string sh = dpp::plugins::shell_quote(value);
   std::string unquoted;
   for (std::size_t i = 1; i + 1 < sh.size(); ++i) {
      if (sh.compare(i, 4, "'\\''") == 0) {
         unquoted += '\'';
         i += 3;
      } else {
         FUZZ_CHECK(sh[i] != '\'', "a lone quote inside " + shown(sh));
         unquoted += sh[i];
      }
   }
   FUZZ_CHECK(unquoted == value, "sh quoting round trip failed: " + shown(value));

   // dotenv: NAME=<q>value<q> with a quote the value lacks, or a refusal.
   try {
      const std::string line = dotenv_line("DPP_FUZZ", value);
      FUZZ_CHECK(line.starts_with("DPP_FUZZ=") && line.size() >= 11, "dotenv line " + shown(line));
      const char quote = line[9];
      FUZZ_CHECK((quote == '\'' || quote == '`' || quote == '"') && line.back() == quote,
                 "dotenv value not quoted: " + shown(line));
      const std::string inner = line.substr(10, line.size() - 11);
      FUZZ_CHECK(inner == value && inner.find(quote) == std::string::npos, "dotenv carries " + shown(inner));
   } catch (const dpp::sdk::Error& e) {
      FUZZ_CHECK(e.status() == DPP_E_CONFIG, e.what());
   }

   // The whole compose file, with the value everywhere a spec puts text.
   WorkspacePlan plan;
   plan.spec.machine_id = "fuzz";
   plan.spec.image = value;
   plan.spec.command = {"/bin/sh", "-c", value};
   plan.spec.env = {{"DPP_FUZZ", value}};
   plan.spec.volumes = {{"home", value}};
   plan.spec.ssh_port = 2222;
   plan.ssh_port = 2250;
   const std::string file = compose_file(plan);
   YAML::Node root;
   try {
      root = YAML::Load(file);
   } catch (const YAML::Exception& e) {
      FUZZ_CHECK(false, std::string("the compose file is not YAML: ") + e.what() + "\n" + shown(file, 2000));
   }
   const YAML::Node service = root["services"]["workspace"];
   FUZZ_CHECK(service.size() >= 5, "the workspace service lost keys: " + shown(file, 2000));
   FUZZ_CHECK(compose_interpolated(service["image"].as<std::string>()) == value, "image changed");
   FUZZ_CHECK(compose_interpolated(service["entrypoint"][2].as<std::string>()) == value, "command changed");
   FUZZ_CHECK(service["entrypoint"].size() == 3, "the entrypoint has another length");
   FUZZ_CHECK(compose_interpolated(service["environment"]["DPP_FUZZ"].as<std::string>()) == value,
              "environment changed");
   FUZZ_CHECK(service["environment"].size() == 1, "the environment gained variables");
   FUZZ_CHECK(compose_interpolated(service["volumes"][0]["target"].as<std::string>()) == value,
              "volume target changed");
   FUZZ_CHECK(!service["privileged"], "the value made the workspace privileged");
   return 0;
}

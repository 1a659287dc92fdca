// Fuzzes OpenSSH public key lines (plugins/common/ssh_public_key): the host keys a backend or a
// state file hands to the transports. A line either parses or throws dpp::sdk::Error; a parsed
// key prints back to a line that parses to the same key, and the known_hosts line the system
// transport writes from it is exactly one line.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/ssh_public_key.hpp"
#include "fuzz_support.hpp"
#include "ssh_invocation.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
   const std::string line(reinterpret_cast<const char*>(data), size);
   using dpp::fuzz::shown;
   dpp::plugins::SshPublicKey key;
   try {
      key = dpp::plugins::parse_ssh_public_key(line);
   } catch (const dpp::sdk::Error& e) {
      FUZZ_CHECK(e.status() == DPP_E_INVALID_ARGUMENT, std::string("unexpected status: ") + e.what());
      return 0;
   }
   FUZZ_CHECK(!key.type.empty() && key.type.size() <= 64, "type " + shown(key.type));
   for (char c : key.type)
      FUZZ_CHECK(c > 0x20 && c < 0x7f, "a key type with a space or control byte: " + shown(key.type));
   const std::string printed = key.line();
   const dpp::plugins::SshPublicKey again = dpp::plugins::parse_ssh_public_key(printed);
   FUZZ_CHECK(again.type == key.type && again.blob == key.blob, "reprinted line differs: " + shown(printed));
   FUZZ_CHECK(key.fingerprint().starts_with("SHA256:"), "fingerprint " + key.fingerprint());
   const std::string known_hosts = dpp::plugins::system_ssh::known_hosts_line(key);
   FUZZ_CHECK(!known_hosts.empty() && known_hosts.find('\n') == known_hosts.size() - 1,
              "the known_hosts entry is not exactly one line: " + shown(known_hosts));
   for (char c : known_hosts)
      FUZZ_CHECK(c == '\n' || (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f),
                 "control byte in the known_hosts line: " + shown(known_hosts));
   return 0;
}

// Checks the plugin's options.
#include "machine_settings.hpp"

#include <sstream>
#include <vector>

namespace ssh_machine {
namespace {

using dpp::sdk::Error;

bool is_key_type(const std::string& word) {
   return word == "ssh-ed25519" || word == "ssh-rsa" || word == "ecdsa-sha2-nistp256" ||
          word == "ecdsa-sha2-nistp384" || word == "ecdsa-sha2-nistp521" ||
          word == "sk-ssh-ed25519@openssh.com" || word == "sk-ecdsa-sha2-nistp256@openssh.com";
}

bool is_base64(const std::string& word) {
   if (word.size() < 16 || word.size() % 4 != 0) return false;
   for (std::size_t i = 0; i < word.size(); ++i) {
      const char c = word[i];
      const bool padding = c == '=' && i + 2 >= word.size();
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
            c == '/' || padding))
         return false;
   }
   return true;
}

// A login name as useradd accepts it, so that nothing odd reaches an SSH login.
bool is_login_name(const std::string& name) {
   if (name.empty() || name.size() > 32 || name.front() == '-') return false;
   for (char c : name)
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
            c == '-' || c == '.'))
         return false;
   return true;
}

}  // namespace

std::string canonical_host_key(const std::string& text) {
   std::istringstream in(text);
   std::vector<std::string> words;
   for (std::string word; in >> word;) words.push_back(word);
   if (words.size() >= 3 && !is_key_type(words[0]) && is_key_type(words[1])) words.erase(words.begin());
   if (words.size() < 2 || !is_key_type(words[0]) || !is_base64(words[1])) return "";
   return words[0] + " " + words[1];
}

MachineSettings MachineSettings::from(const dpp::sdk::Options& options) {
   MachineSettings settings;
   // The host has already checked the declared types (a host name, a TCP port, a duration) and
   // refused missing required options; what is left are this backend's own rules.
   settings.host = options.require("SSH_MACHINE_HOST");
   settings.port = static_cast<uint16_t>(options.get_u64("SSH_MACHINE_PORT", 22));

   settings.user = options.require("SSH_MACHINE_USER");
   if (!is_login_name(settings.user))
      throw Error(DPP_E_CONFIG, "SSH_MACHINE_USER='" + settings.user +
                                    "' is not a login name; expected letters, digits, '.', '_' or '-' "
                                    "(at most 32, not starting with '-')");

   settings.host_key = canonical_host_key(options.require("SSH_MACHINE_HOST_KEY"));
   if (settings.host_key.empty())
      throw Error(DPP_E_CONFIG,
                  "SSH_MACHINE_HOST_KEY is not an OpenSSH public key line; use the content of "
                  "/etc/ssh/ssh_host_ed25519_key.pub on the machine (\"ssh-ed25519 AAAA…\")");

   const uint64_t timeout = options.get_u64("SSH_MACHINE_TIMEOUT", 15'000);
   settings.timeout_ms = static_cast<uint32_t>(timeout > 600'000 ? 600'000 : timeout);
   return settings;
}

}  // namespace ssh_machine

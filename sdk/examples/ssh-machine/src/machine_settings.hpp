// The plugin's options, checked beyond their declared types: where the machine is, who logs in,
// and the host key it must present.
#pragma once

#include <dpp/cpp/plugin.hpp>

#include <cstdint>
#include <string>

namespace ssh_machine {

struct MachineSettings {
   std::string host;
   uint16_t port = 22;
   std::string user;
   // "<type> <base64>" (comment dropped), the form every transport pins.
   std::string host_key;
   uint32_t timeout_ms = 15'000;

   // Throws dpp::sdk::Error(DPP_E_CONFIG) naming the option and what is expected.
   static MachineSettings from(const dpp::sdk::Options& options);

   std::string address() const { return user + "@" + host + ":" + std::to_string(port); }
};

// An OpenSSH public key line in the canonical "<type> <base64>" form, or "" when `text` is none.
// Also accepts a known_hosts / ssh-keyscan line ("host ssh-ed25519 AAAA…"), whose host is dropped.
std::string canonical_host_key(const std::string& text);

}  // namespace ssh_machine

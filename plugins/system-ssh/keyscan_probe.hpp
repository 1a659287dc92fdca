// probe() of the system transport: a TCP connect of our own (to tell refused from silent), then
// OpenSSH's ssh-keyscan for the key exchange, compared with the pinned key. No login.
#pragma once

#include <cstdint>
#include <dpp/cpp/plugin.hpp>
#include <string>

#include "common/ssh_cancel.hpp"

namespace dpp::plugins::system_ssh {

// Returns when the pinned key answered at the target; throws sdk::Error DPP_E_HOST_KEY_MISMATCH
// (naming both fingerprints), DPP_E_CONNECT, DPP_E_TIMEOUT, DPP_E_PROTOCOL, DPP_E_CANCELLED, or
// DPP_E_CONFIG when ssh-keyscan is missing.
void keyscan_probe(const std::string& keyscan, const sdk::SshTarget& target, uint32_t timeout_ms,
                   const SshCanceller& canceller, const sdk::Host& host);

}  // namespace dpp::plugins::system_ssh

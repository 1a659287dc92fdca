// The system transport: runs DevPod's COMMAND with OpenSSH's `ssh` (through `sshpass` for
// passwords), handing it the host's descriptors directly; classifies failures from ssh's
// private log; optionally shares one connection between runs (ControlMaster).
#pragma once

#include <chrono>
#include <dpp/cpp/plugin.hpp>
#include <string>

#include "common/ssh_cancel.hpp"

namespace dpp::plugins::system_ssh {

inline constexpr const char* kOptSshProgram = "DOKPLOY_SSH_PROGRAM";
inline constexpr const char* kOptSshReuse = "DOKPLOY_SSH_REUSE";
inline constexpr const char* kOptSshReuseIdle = "DOKPLOY_SSH_REUSE_IDLE";

class SystemTransport final : public sdk::Transport {
 public:
   // Throws DPP_E_CONFIG when no usable ssh client is found.
   SystemTransport(sdk::Host host, const sdk::Options& options);

   void probe(const sdk::SshTarget& target, uint32_t timeout_ms) override;
   sdk::RunResult run(const sdk::RunRequest& request) override;
   void cancel() noexcept override { canceller_.cancel(); }

 private:
   sdk::Host host_;
   std::string ssh_;
   std::string keyscan_;
   std::chrono::milliseconds keepalive_;
   bool reuse_;
   std::chrono::seconds reuse_idle_;
   SshCanceller canceller_;
};

}  // namespace dpp::plugins::system_ssh

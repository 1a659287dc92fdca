// The libssh2 transport: runs DevPod's COMMAND over one in-process libssh2 session, joined to
// the host's descriptors, and probes SSH endpoints for their host key.
#pragma once

#include <chrono>
#include <dpp/cpp/plugin.hpp>

#include "common/ssh_cancel.hpp"

namespace dpp::plugins::libssh2 {

class Libssh2Transport final : public sdk::Transport {
 public:
   Libssh2Transport(sdk::Host host, const sdk::Options& options);

   void probe(const sdk::SshTarget& target, uint32_t timeout_ms) override;
   sdk::RunResult run(const sdk::RunRequest& request) override;
   void cancel() noexcept override { canceller_.cancel(); }

 private:
   sdk::Host host_;
   std::chrono::milliseconds keepalive_;
   SshCanceller canceller_;
};

}  // namespace dpp::plugins::libssh2

// The fake transport: "runs" a command on the workspace by running it locally with /bin/sh,
// joined to the host's descriptors, so that `command`'s exit codes and byte streams are real.
#pragma once

#include <dpp/cpp/plugin.hpp>

#include <sys/types.h>
#include <atomic>

namespace dpp::test::fake {

class FakeTransport final : public sdk::Transport {
 public:
   FakeTransport(sdk::Host host, const sdk::Options& options);
   void probe(const sdk::SshTarget& target, uint32_t timeout_ms) override;
   sdk::RunResult run(const sdk::RunRequest& request) override;
   void cancel() noexcept override;

 private:
   sdk::Host host_;
   std::string fail_;
   std::atomic<pid_t> child_{0};
};

}  // namespace dpp::test::fake

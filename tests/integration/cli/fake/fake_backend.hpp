// The fake backend: a workspace "exists" once create recorded it in the host's state; status
// reports it (or a fixed state), every call can be made to fail, and each logs what it did.
#pragma once

#include <dpp/cpp/plugin.hpp>

namespace dpp::test::fake {

class FakeBackend final : public sdk::Backend {
 public:
   FakeBackend(sdk::Host host, const sdk::Options& options);
   void check(sdk::CheckReport& report) override;
   sdk::WorkspaceInfo create(const sdk::WorkspaceSpec& spec) override;
   sdk::WorkspaceInfo start(const sdk::WorkspaceSpec& spec) override;
   void stop(const std::string& machine_id) override;
   void remove(const std::string& machine_id, bool keep_volumes) override;
   sdk::WorkspaceInfo status(const std::string& machine_id) override;

 private:
   void fail_if_asked(const char* operation) const;
   sdk::WorkspaceInfo endpoint(int32_t state) const;

   sdk::Host host_;
   std::string fixed_state_;
   std::string fail_;
   uint16_t ssh_port_;
};

}  // namespace dpp::test::fake

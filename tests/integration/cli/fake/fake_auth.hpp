// The fake auth strategy: fixed, harmless credentials, so that create and command can run
// without generating keys.
#pragma once

#include <dpp/cpp/plugin.hpp>

namespace dpp::test::fake {

class FakeAuth final : public sdk::Auth {
 public:
   FakeAuth(sdk::Host host, const sdk::Options& options);
   void prepare(bool create) override;
   sdk::WorkspaceAuth workspace_auth() override;
   sdk::Credentials credentials() override;

 private:
   sdk::Host host_;
};

}  // namespace dpp::test::fake

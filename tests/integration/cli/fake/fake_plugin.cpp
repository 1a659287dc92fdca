// The CLI tests' fake plugin "test.fake": a backend, a transport and an auth strategy that need
// no server and no SSH, so that the real dokploy-provider binary can be driven through every
// verb. Behaviour is chosen through the plugin's own options (declared here, through the ABI).
#include <dpp/cpp/plugin.hpp>

#include "fake_auth.hpp"
#include "fake_backend.hpp"
#include "fake_transport.hpp"

namespace dpp::test::fake {

struct FakePlugin {
   static constexpr const char* id = "test.fake";
   static constexpr const char* version = "0.0.1";
   static constexpr const char* description = "Fake backend, transport and auth for the CLI tests";
   static std::span<const dpp_option_desc> options() {
      using sdk::option;
      static constexpr dpp_option_desc all[] = {
          option("FAKE_PROJECT", "Project the fake workspaces belong to.", nullptr, DPP_OPTION_STRING,
                 DPP_OPTION_REQUIRED, nullptr, "connection"),
          option("FAKE_TOKEN", "API token of the fake server.", nullptr, DPP_OPTION_STRING, DPP_OPTION_SECRET,
                 nullptr, "connection"),
          option("FAKE_SERVER_URL", "Address of the fake server.", "https://fake.example", DPP_OPTION_URL, 0,
                 nullptr, "connection"),
          option("FAKE_PORT", "Port the fake server publishes.", "2222", DPP_OPTION_PORT),
          option("FAKE_DISK", "Disk of a fake workspace.", "10g", DPP_OPTION_SIZE, 0, nullptr, "workspace"),
          option("FAKE_STATE", "What status reports: the recorded state, or a fixed one.", "recorded",
                 DPP_OPTION_ENUM, 0, "recorded|running|busy|stopped|failed|not-found"),
          option("FAKE_SSH_PORT", "Port the fake workspace answers SSH on.", "0", DPP_OPTION_INTEGER),
          option("FAKE_FAIL", "Make every backend call fail with this status.", "none", DPP_OPTION_ENUM, 0,
                 "none|config|remote|auth|connect|internal"),
          option("FAKE_TRANSPORT_FAIL", "Make the transport fail this way.", "none", DPP_OPTION_ENUM, 0,
                 "none|connect|auth|lost|host-key"),
      };
      return all;
   }
   using backend = FakeBackend;
   using transport = FakeTransport;
   using auth = FakeAuth;
};

}  // namespace dpp::test::fake

DPP_SDK_EXPORT_PLUGIN(dpp::test::fake::FakePlugin)

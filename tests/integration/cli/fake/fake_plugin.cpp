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
          option("FAKE_PROJECT", "Project the fake workspaces belong to.").required().in_group("connection"),
          option("FAKE_TOKEN", "API token of the fake server.").secret().in_group("connection"),
          option("FAKE_SERVER_URL", "Address of the fake server.")
              .of_type(DPP_OPTION_URL)
              .defaults_to("https://fake.example")
              .in_group("connection"),
          option("FAKE_PORT", "Port the fake server publishes.").of_type(DPP_OPTION_PORT).defaults_to("2222"),
          option("FAKE_DISK", "Disk of a fake workspace.")
              .of_type(DPP_OPTION_SIZE)
              .defaults_to("10g")
              .in_group("workspace"),
          option("FAKE_STATE", "What status reports: the recorded state, or a fixed one.")
              .one_of("recorded|running|busy|stopped|failed|not-found")
              .defaults_to("recorded"),
          option("FAKE_SSH_PORT", "Port the fake workspace answers SSH on.")
              .of_type(DPP_OPTION_INTEGER)
              .defaults_to("0"),
          option("FAKE_FAIL", "Make every backend call fail with this status.")
              .one_of("none|config|remote|auth|connect|internal")
              .defaults_to("none"),
          option("FAKE_TRANSPORT_FAIL", "Make the transport fail this way.")
              .one_of("none|connect|auth|lost|host-key")
              .defaults_to("none"),
      };
      return all;
   }
   using backend = FakeBackend;
   using transport = FakeTransport;
   using auth = FakeAuth;
};

}  // namespace dpp::test::fake

DPP_SDK_EXPORT_PLUGIN(dpp::test::fake::FakePlugin)

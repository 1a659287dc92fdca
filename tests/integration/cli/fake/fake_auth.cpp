// The fake auth strategy of the CLI tests.
#include "fake_auth.hpp"

namespace dpp::test::fake {

FakeAuth::FakeAuth(sdk::Host host, const sdk::Options&) : host_(host) {}

void FakeAuth::prepare(bool) {
   if (host_.machine_folder().empty()) throw sdk::Error(DPP_E_INVALID_ARGUMENT, "no machine folder");
}

sdk::WorkspaceAuth FakeAuth::workspace_auth() {
   return {"devpod", "ssh-ed25519 AAAAC3NzaFakeClientKey fake", "",
           "ZmFrZSBob3N0IGtleQ==", "ssh-ed25519 AAAAC3NzaFakeHostKey fake"};
}

sdk::Credentials FakeAuth::credentials() {
   sdk::Credentials credentials;
   credentials.kind = DPP_CREDENTIAL_PRIVATE_KEY;
   credentials.user = "devpod";
   credentials.private_key_file = "/nonexistent/fake_key";
   return credentials;
}

}  // namespace dpp::test::fake

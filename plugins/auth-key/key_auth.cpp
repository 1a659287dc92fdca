// The `key` auth strategy: a per-machine ed25519 key pair (0600 in MACHINE_FOLDER). The workspace
// gets only the public key, and password login stays off there.
#include <array>
#include <dpp/cpp/plugin.hpp>

#include "common/login_user.hpp"
#include "common/machine_keys.hpp"

namespace {

using namespace dpp;

constexpr const char* kClientKeyFile = "id_ed25519";

class KeyAuth final : public sdk::Auth {
 public:
   KeyAuth(sdk::Host host, const sdk::Options& options) : host_(host), user_(plugins::login_user(options)) {}

   void prepare(bool create) override {
      const std::string machine = host_.machine_id();
      host_key_ = plugins::machine_key_pair(host_, plugins::kWorkspaceHostKeyFile,
                                            "dokploy-provider-workspace-" + machine, create);
      client_key_ = plugins::machine_key_pair(host_, kClientKeyFile, "dokploy-provider-" + machine, create);
      folder_ = host_.machine_folder();
   }

   sdk::WorkspaceAuth workspace_auth() override {
      require_prepared();
      sdk::WorkspaceAuth auth = plugins::workspace_auth_with_host_key(host_key_, user_);
      auth.authorized_key = client_key_.public_line;
      return auth;
   }

   sdk::Credentials credentials() override {
      require_prepared();
      sdk::Credentials credentials;
      credentials.kind = DPP_CREDENTIAL_PRIVATE_KEY;
      credentials.user = user_;
      credentials.private_key_file = folder_ + "/" + kClientKeyFile;
      credentials.public_key_file = folder_ + "/" + kClientKeyFile + ".pub";
      return credentials;
   }

   ~KeyAuth() override {
      sdk::Credentials::wipe(host_key_.private_key);
      sdk::Credentials::wipe(client_key_.private_key);
   }

 private:
   void require_prepared() const {
      if (folder_.empty()) throw sdk::Error(DPP_E_INVALID_ARGUMENT, "prepare() was not called");
   }

   sdk::Host host_;
   std::string user_;
   std::string folder_;
   plugins::OpensshKeyPair host_key_;
   plugins::OpensshKeyPair client_key_;
};

struct KeyAuthPlugin {
   static constexpr const char* id = "key";
   static constexpr const char* version = "1.0.0";
   static constexpr const char* description =
       "Per-machine ed25519 SSH key (default): the workspace gets only the public key";
   static std::span<const dpp_option_desc> options() {
      static constexpr std::array<dpp_option_desc, 1> all = {plugins::login_user_option()};
      return all;
   }
   using auth = KeyAuth;
};

}  // namespace

DPP_SDK_EXPORT_PLUGIN(KeyAuthPlugin)

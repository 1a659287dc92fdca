// The `password` auth strategy: a per-machine random password (192 bits from the OS CSPRNG,
// 0600 in MACHINE_FOLDER). The workspace receives only its crypt(3) SHA-512 hash.
#include <array>
#include <dpp/cpp/plugin.hpp>

#include "common/base64.hpp"
#include "common/login_user.hpp"
#include "common/machine_keys.hpp"
#include "common/os_random.hpp"
#include "sha512_crypt.hpp"

namespace {

using namespace dpp;

constexpr const char* kPasswordFile = "ssh-password";
constexpr const char* kHashFile = "ssh-password.sha512";

// 24 random bytes as 32 characters of URL-safe base64: typeable, no shell-special characters.
std::string new_password() {
   std::string bytes = plugins::os_random_bytes(24);
   std::string text = plugins::base64_encode(bytes);
   sdk::Credentials::wipe(bytes);
   for (char& c : text) {
      if (c == '+') c = '-';
      if (c == '/') c = '_';
   }
   return text;
}

class PasswordAuth final : public sdk::Auth {
 public:
   PasswordAuth(sdk::Host host, const sdk::Options& options)
       : host_(host), user_(plugins::login_user(options)) {}

   void prepare(bool create) override {
      host_key_ = plugins::machine_key_pair(host_, plugins::kWorkspaceHostKeyFile,
                                            "dokploy-provider-workspace-" + host_.machine_id(), create);
      std::optional<std::string> password = host_.read_machine_file(kPasswordFile);
      if (!password) {
         if (!create)
            throw sdk::Error(DPP_E_NOT_FOUND, "this machine has no SSH password in " +
                                                  host_.machine_folder() +
                                                  "; delete and recreate the workspace");
         password = new_password();
         host_.write_machine_file(kPasswordFile, *password);
         host_.info("made a new random SSH password for this machine");
      }
      if (password->size() < 22 || password->find_first_of("\n\r") != std::string::npos)
         throw sdk::Error(DPP_E_IO, "the password file " + host_.machine_folder() + "/" + kPasswordFile +
                                        " is damaged; delete and recreate the workspace");
      // The hash is kept too, so the workspace spec (and so the service) is the same at every
      // create; it is remade only when it does not match (a damaged or foreign file).
      std::optional<std::string> hash = host_.read_machine_file(kHashFile);
      if (!hash || !plugins::sha512_crypt_matches(*password, *hash)) {
         hash = plugins::sha512_crypt(*password);
         host_.write_machine_file(kHashFile, *hash);
      }
      sdk::Credentials::wipe(password_);
      password_ = *password;
      sdk::Credentials::wipe(*password);
      hash_ = *hash;
   }

   sdk::WorkspaceAuth workspace_auth() override {
      require_prepared();
      sdk::WorkspaceAuth auth = plugins::workspace_auth_with_host_key(host_key_, user_);
      auth.password_hash = hash_;
      return auth;
   }

   sdk::Credentials credentials() override {
      require_prepared();
      sdk::Credentials credentials;
      credentials.kind = DPP_CREDENTIAL_PASSWORD;
      credentials.user = user_;
      credentials.password = password_;
      return credentials;
   }

   ~PasswordAuth() override {
      sdk::Credentials::wipe(password_);
      sdk::Credentials::wipe(host_key_.private_key);
   }

 private:
   void require_prepared() const {
      if (hash_.empty()) throw sdk::Error(DPP_E_INVALID_ARGUMENT, "prepare() was not called");
   }

   sdk::Host host_;
   std::string user_;
   std::string password_;
   std::string hash_;
   plugins::OpensshKeyPair host_key_;
};

struct PasswordAuthPlugin {
   static constexpr const char* id = "password";
   static constexpr const char* version = "1.0.0";
   static constexpr const char* description =
       "Per-machine random SSH password: the workspace gets only its SHA-512 crypt hash";
   static std::span<const dpp_option_desc> options() {
      static constexpr std::array<dpp_option_desc, 1> all = {plugins::login_user_option()};
      return all;
   }
   using auth = PasswordAuth;
};

}  // namespace

DPP_SDK_EXPORT_PLUGIN(PasswordAuthPlugin)

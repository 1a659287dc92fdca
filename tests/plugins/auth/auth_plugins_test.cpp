// The key and password auth strategies through the ABI: what they store, with which modes, what
// the workspace gets, and what the transport gets.
#include <crypt.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "errors.hpp"
#include "loader/host_services.hpp"
#include "loader/plugin_instances.hpp"
#include "loader/plugin_library.hpp"
#include "options/configuration.hpp"
#include "options/environment.hpp"
#include "state/machine_state.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace dpp::test {
namespace {

using core::Auth;
using core::Configuration;
using core::Environment;
using core::HostServices;
using core::MachineState;
using core::PluginLibrary;

// "type base64" of an OpenSSH public key line, without its comment.
std::string key_fields(const std::string& line) {
   const auto first = line.find(' ');
   const auto second = line.find_first_of(" \n", first + 1);
   return line.substr(0, second);
}

unsigned mode_of(const std::string& path) {
   struct stat info {};
   if (::lstat(path.c_str(), &info) != 0) return 0;
   return info.st_mode & 07777;
}

// Loads one auth plugin with the host's loader and a machine in a temp folder.
class AuthFixture : public ::testing::Test {
 protected:
   void load(const std::string& id) {
      folder_ = dir_.path() + "/machine";
      state_ = std::make_unique<MachineState>(folder_, "auth-test");
      services_.set_machine(state_.get());
      plugin_ = PluginLibrary::open(plugin_dir() + "/dpp-" + id + ".so");
      plugin_->initialise(services_.for_plugin(plugin_->id()));
   }

   std::unique_ptr<Auth> make(std::map<std::string, std::string> env = {}) {
      config_ =
          core::resolve_configuration(plugin_->options(), Environment::from_map(std::move(env)), nullptr);
      return std::make_unique<Auth>(plugin_, services_, *config_);
   }

   TempDir dir_;
   std::string folder_;
   HostServices services_;
   std::unique_ptr<MachineState> state_;
   std::shared_ptr<PluginLibrary> plugin_;
   std::optional<Configuration> config_;
};

class AuthPluginTest : public AuthFixture, public ::testing::WithParamInterface<std::string> {
 protected:
   void SetUp() override { load(GetParam()); }
};

TEST_P(AuthPluginTest, CreatesPrivateFilesInAPrivateFolder) {
   auto auth = make();
   auth->prepare(true);
   EXPECT_EQ(mode_of(folder_), 0700u);
   int files = 0;
   for (const auto& entry : std::filesystem::directory_iterator(folder_)) {
      EXPECT_EQ(mode_of(entry.path()), 0600u) << entry.path();
      ++files;
   }
   EXPECT_GE(files, 3);
}

TEST_P(AuthPluginTest, HostKeyIsARealOpensshKeyWhosePublicHalfIsPinned) {
   auto auth = make();
   auth->prepare(true);
   const dpp_workspace_auth workspace = auth->workspace_auth();
   ASSERT_NE(workspace.host_public_key, nullptr);
   const ProcessResult derived =
       run_process({.argv = {"/usr/bin/ssh-keygen", "-y", "-f", folder_ + "/ssh_host_ed25519_key"}});
   ASSERT_EQ(derived.exit_code, 0) << derived.err;
   const std::string pinned = workspace.host_public_key;
   EXPECT_EQ(key_fields(pinned), key_fields(derived.out));
   EXPECT_STREQ(workspace.user, "devpod");
}

TEST_P(AuthPluginTest, CredentialsNeverChangeOnceMade) {
   std::string first_key, first_hash, first_host;
   {
      auto auth = make();
      auth->prepare(true);
      const dpp_workspace_auth w = auth->workspace_auth();
      first_host = w.host_public_key;
      first_key = w.authorized_key ? w.authorized_key : "";
      first_hash = w.password_hash ? w.password_hash : "";
   }
   auto again = make();
   again->prepare(true);
   const dpp_workspace_auth w = again->workspace_auth();
   EXPECT_EQ(first_host, w.host_public_key);
   EXPECT_EQ(first_key, w.authorized_key ? w.authorized_key : "");
   EXPECT_EQ(first_hash, w.password_hash ? w.password_hash : "");
}

TEST_P(AuthPluginTest, MissingCredentialsAreNotMadeWithoutCreate) {
   auto auth = make();
   try {
      auth->prepare(false);
      FAIL() << "prepare without create made credentials";
   } catch (const core::ProviderError& e) {
      EXPECT_NE(std::string(e.what()).find("recreate"), std::string::npos) << e.what();
   }
}

TEST_P(AuthPluginTest, DamagedHostKeyIsReportedWithItsFile) {
   {
      auto auth = make();
      auth->prepare(true);
   }
   std::ofstream(folder_ + "/ssh_host_ed25519_key", std::ios::trunc) << "not a key\n";
   auto auth = make();
   try {
      auth->prepare(true);
      FAIL() << "a damaged key was accepted";
   } catch (const core::ProviderError& e) {
      EXPECT_NE(std::string(e.what()).find("ssh_host_ed25519_key"), std::string::npos) << e.what();
   }
}

TEST_P(AuthPluginTest, PlantedSymlinkIsNotFollowed) {
   std::filesystem::create_directories(folder_);
   ::chmod(folder_.c_str(), 0700);
   const std::string target = dir_.write("elsewhere", "untouched");
   std::filesystem::create_symlink(target, folder_ + "/ssh_host_ed25519_key");
   auto auth = make();
   EXPECT_THROW(auth->prepare(true), core::ProviderError);
   EXPECT_EQ(dir_.read("elsewhere"), "untouched");
}

TEST_P(AuthPluginTest, RootIsRefusedAsLoginUser) {
   try {
      make({{"DOKPLOY_SSH_USER", "root"}});
      FAIL() << "root accepted";
   } catch (const core::ProviderError& e) {
      EXPECT_EQ(e.exit_code(), core::kExitUsage);
      EXPECT_NE(std::string(e.what()).find("root"), std::string::npos);
   }
}

INSTANTIATE_TEST_SUITE_P(Strategies, AuthPluginTest, ::testing::Values("key", "password"));

class KeyAuthTest : public AuthFixture {
 protected:
   void SetUp() override { load("key"); }
};

TEST_F(KeyAuthTest, WorkspaceGetsOnlyThePublicKeyAndTheTransportTheKeyFile) {
   auto auth = make();
   auth->prepare(true);
   const dpp_workspace_auth workspace = auth->workspace_auth();
   ASSERT_NE(workspace.authorized_key, nullptr);
   EXPECT_EQ(workspace.password_hash, nullptr);
   const dpp_credentials credentials = auth->credentials();
   EXPECT_EQ(credentials.kind, DPP_CREDENTIAL_PRIVATE_KEY);
   ASSERT_NE(credentials.private_key_file, nullptr);
   const ProcessResult derived =
       run_process({.argv = {"/usr/bin/ssh-keygen", "-y", "-f", credentials.private_key_file}});
   ASSERT_EQ(derived.exit_code, 0) << derived.err;
   const std::string authorized = workspace.authorized_key;
   EXPECT_EQ(key_fields(authorized), key_fields(derived.out));
   EXPECT_EQ(std::string(workspace.authorized_key).find("PRIVATE"), std::string::npos);
}

class PasswordAuthTest : public AuthFixture {
 protected:
   void SetUp() override { load("password"); }
};

TEST_F(PasswordAuthTest, WorkspaceGetsOnlyASha512HashOfALongRandomPassword) {
   auto auth = make();
   auth->prepare(true);
   const dpp_workspace_auth workspace = auth->workspace_auth();
   const dpp_credentials credentials = auth->credentials();
   ASSERT_EQ(credentials.kind, DPP_CREDENTIAL_PASSWORD);
   const std::string password = credentials.password;
   EXPECT_GE(password.size() * 6, 128u);  // base64 characters carry 6 bits each
   ASSERT_NE(workspace.password_hash, nullptr);
   const std::string hash = workspace.password_hash;
   EXPECT_EQ(hash.rfind("$6$", 0), 0u);
   EXPECT_EQ(hash.find(password), std::string::npos);
   EXPECT_EQ(workspace.authorized_key, nullptr);
   crypt_data data{};
   EXPECT_EQ(std::string(crypt_r(password.c_str(), hash.c_str(), &data)), hash);
}

TEST_F(PasswordAuthTest, TwoMachinesGetDifferentPasswords) {
   auto first = make();
   first->prepare(true);
   const std::string one = first->credentials().password;
   MachineState other(dir_.path() + "/other", "other-machine");
   services_.set_machine(&other);
   auto second = make();
   second->prepare(true);
   EXPECT_NE(one, std::string(second->credentials().password));
}

}  // namespace
}  // namespace dpp::test

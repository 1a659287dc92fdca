// The release bundle on a clean Debian 12 that has none of the build dependencies (a debootstrap
// minbase root, via chroot): `version`, `plugins` and `status` against the Dokploy emulator work
// from the single file, and work again after the unpacked cache is deleted and only the file is
// left, as after DevPod's binary cache restored it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "minimal_root.hpp"
#include "support/emulator.hpp"
#include "support/ssh_banner.hpp"
#include "support/test_paths.hpp"

namespace dpp::test {
namespace {
namespace fs = std::filesystem;

constexpr const char* kProvider =
    "/root/.devpod/contexts/default/providers/dokploy/binaries/dokploy_provider/dokploy-provider-linux-amd64";
constexpr const char* kProject = "devpod-release-test";

std::set<std::string> shipped_plugins() {
   std::set<std::string> ids;
   std::istringstream list(DPP_TEST_BUNDLED_PLUGINS);
   for (std::string id; std::getline(list, id, ',');)
      if (!id.empty()) ids.insert(id);
   return ids;
}

std::string trimmed_upper(std::string text) {
   text.erase(0, text.find_first_not_of(" \t\r\n"));
   text.erase(text.find_last_not_of(" \t\r\n") + 1);
   std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
   return text;
}

// A deployed workspace service of `machine_id`, named as the dokploy backend names its own
// ("devpod-<machine id> (ssh <port>)") in kProject, made through Dokploy's API.
void create_deployed_service(const Emulator& emulator, const std::string& machine_id, int ssh_port) {
   const auto project = emulator.api("project.create", {{"name", kProject}});
   const std::string environment = project["environment"]["environmentId"];
   const auto compose = emulator.api(
       "compose.create", {{"name", "devpod-" + machine_id + " (ssh " + std::to_string(ssh_port) + ")"},
                          {"environmentId", environment},
                          {"appName", "devpod-" + machine_id},
                          {"composeType", "docker-compose"},
                          {"composeFile", "services:\n  workspace:\n    image: debian:12\n"}});
   const std::string compose_id = compose["composeId"];
   emulator.api("compose.update", {{"composeId", compose_id}, {"sourceType", "raw"}});
   emulator.api("compose.deploy", {{"composeId", compose_id}});
   // The emulator's deploy queue finishes in tens of milliseconds; bounded, not timed.
   for (int attempt = 0; attempt < 600; ++attempt) {
      for (const auto& service : emulator.services())
         if (service.value("composeId", "") == compose_id && service.value("composeStatus", "") == "done")
            return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
   }
   FAIL() << "the emulator's deploy of " << compose_id << " did not finish:\n" << emulator.log();
}

class MinimalDebian : public ::testing::Test {
 protected:
   static void SetUpTestSuite() {
      if (!running_as_root()) return;
      try {
         rootfs_ = minimal_rootfs();
      } catch (const std::exception& e) {
         error_ = e.what();
      }
   }
   void SetUp() override {
      if (!running_as_root()) DPP_SKIP("chroot and mounts need root");
      ASSERT_TRUE(error_.empty()) << error_;
   }

   static std::string rootfs_;
   static std::string error_;
};
std::string MinimalDebian::rootfs_;
std::string MinimalDebian::error_;

TEST_F(MinimalDebian, LacksEveryBuildDependencyOfTheProvider) {
   const std::vector<std::string> forbidden = {"libPoco",  "libssh2",   "libspdlog",   "libfmt",
                                               "libboost", "libssl.so", "libcrypto.so"};
   std::vector<std::string> found;
   for (auto it = fs::recursive_directory_iterator(rootfs_, fs::directory_options::skip_permission_denied);
        it != fs::recursive_directory_iterator(); ++it) {
      const std::string name = it->path().filename().string();
      for (const auto& prefix : forbidden)
         if (name.rfind(prefix, 0) == 0) found.push_back(it->path().string());
   }
   EXPECT_TRUE(found.empty()) << "the minimal root has " << found.size() << " build dependencies, e.g. "
                              << (found.empty() ? "" : found.front());
   EXPECT_TRUE(fs::exists(rootfs_ + "/usr/bin/env"));
}

TEST_F(MinimalDebian, ReleaseBundleRunsVersionPluginsAndStatusFromTheSingleFileAlone) {
   ASSERT_TRUE(fs::exists(DPP_TEST_BUNDLE)) << DPP_TEST_BUNDLE << " was not built (target dpp-bundle)";
   const bool has_backend = shipped_plugins().count("dokploy") > 0;
   std::unique_ptr<Emulator> emulator;
   // The workspace's "sshd": the host's status probe wants a banner before it says Running.
   SshBanner sshd;
   if (has_backend) {
      emulator = std::make_unique<Emulator>();
      create_deployed_service(*emulator, "release-present", sshd.port());
   }

   MinimalRoot root(rootfs_);
   root.install(DPP_TEST_BUNDLE, kProvider, 0755);
   const EnvMap base = {{"HOME", "/root"}, {"PATH", "/usr/local/bin:/usr/bin:/bin"}, {"LC_ALL", "C.UTF-8"}};
   auto machine_env = [&](const std::string& id) {
      EnvMap env = base;
      env["DOKPLOY_PROVIDER"] = kProvider;
      env["DOKPLOY_SERVER_URL"] = emulator->url();
      env["DOKPLOY_API_TOKEN"] = emulator->token();
      env["DOKPLOY_PROJECT_NAME"] = kProject;
      env["MACHINE_ID"] = id;
      env["MACHINE_FOLDER"] = "/root/.devpod/contexts/default/machines/" + id;
      env["MACHINE_CONTEXT"] = "default";
      env["MACHINE_PROVIDER"] = "dokploy";
      env["DEVPOD_OS"] = "linux";
      env["DEVPOD_ARCH"] = "amd64";
      root.make_folder(env["MACHINE_FOLDER"]);
      return env;
   };

   auto check_every_verb = [&](const std::string& round) {
      SCOPED_TRACE(round);
      const ProcessResult version = root.run({kProvider, "version"}, base);
      ASSERT_EQ(version.exit_code, 0) << version.err << version.out;
      for (const auto& id : shipped_plugins())
         EXPECT_NE(version.out.find("  " + id + " "), std::string::npos) << id << " missing in:\n"
                                                                         << version.out;
      EXPECT_EQ(version.out.find("not loaded"), std::string::npos) << version.out;

      const ProcessResult plugins = root.run({kProvider, "plugins", "--output", "json"}, base);
      ASSERT_EQ(plugins.exit_code, 0) << plugins.err << plugins.out;
      const auto listing = nlohmann::json::parse(plugins.out);
      std::set<std::string> loaded;
      for (const auto& plugin : listing["plugins"]) loaded.insert(plugin["id"].get<std::string>());
      EXPECT_EQ(loaded, shipped_plugins());
      EXPECT_TRUE(listing["failed"].empty()) << listing["failed"].dump();

      if (!has_backend) return;
      const ProcessResult present = root.run({kProvider, "status"}, machine_env("release-present"));
      EXPECT_EQ(present.exit_code, 0) << present.err;
      EXPECT_EQ(trimmed_upper(present.out), "RUNNING") << present.err;
      const ProcessResult absent = root.run({kProvider, "status"}, machine_env("release-absent"));
      EXPECT_EQ(absent.exit_code, 0) << absent.err;
      EXPECT_EQ(trimmed_upper(absent.out), "NOTFOUND") << absent.err;
   };

   check_every_verb("first start: unpacks into /root/.cache");
   ASSERT_TRUE(root.exists("/root/.cache/dokploy-provider"));

   // DevPod's binary cache keeps only the file it downloaded: the unpacked folder is gone.
   const ProcessResult removed = root.run({"/bin/rm", "-rf", "/root/.cache/dokploy-provider"}, base);
   ASSERT_EQ(removed.exit_code, 0) << removed.err;
   ASSERT_FALSE(root.exists("/root/.cache/dokploy-provider"));
   check_every_verb("after the cache kept only the file");
   EXPECT_TRUE(root.exists("/root/.cache/dokploy-provider"));
   if (!has_backend)
      DPP_SKIP("status not checked: the dokploy backend plugin is not in this build (" +
               std::string(DPP_TEST_BUNDLED_PLUGINS) + ")");
}

}  // namespace
}  // namespace dpp::test

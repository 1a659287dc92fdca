// The release bundle as DevPod gets it: one file that, alone in a folder and with an empty cache,
// loads every shipped plugin, unpacks once when started many times at once, refuses a damaged
// copy with a message saying what to do, and needs nothing but glibc outside its own folder.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <vector>

#include "support/child_process.hpp"
#include "support/file_contents.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace dpp::test {
namespace {
namespace fs = std::filesystem;

std::set<std::string> shipped_plugins() {
   std::set<std::string> ids;
   std::istringstream list(DPP_TEST_BUNDLED_PLUGINS);
   for (std::string id; std::getline(list, id, ',');)
      if (!id.empty()) ids.insert(id);
   return ids;
}

class ReleaseBundle : public ::testing::Test {
 protected:
   void SetUp() override {
      ASSERT_TRUE(fs::exists(DPP_TEST_BUNDLE)) << DPP_TEST_BUNDLE << " was not built (target dpp-bundle)";
      // Alone in a folder, as in DevPod's binary cache: nothing beside it to lean on.
      fs::create_directories(dir_.file("binaries/dokploy_provider"));
      fs::copy_file(DPP_TEST_BUNDLE, file_);
      fs::permissions(file_, fs::perms::owner_all);
   }
   EnvMap environment() const {
      return {{"PATH", "/usr/bin:/bin"}, {"HOME", dir_.file("home")}, {"LC_ALL", "C"}};
   }
   ProcessResult run(const std::vector<std::string>& args) const {
      ProcessOptions options;
      options.argv = {file_};
      options.argv.insert(options.argv.end(), args.begin(), args.end());
      options.env = environment();
      return run_process(options);
   }
   fs::path cache() const { return dir_.file("home/.cache/dokploy-provider"); }
   std::vector<fs::path> unpacked_folders() const {
      std::vector<fs::path> folders;
      if (!fs::exists(cache())) return folders;
      for (const auto& item : fs::directory_iterator(cache()))
         if (item.is_directory() && item.path().filename().string()[0] != '.') folders.push_back(item.path());
      return folders;
   }

   TempDir dir_{"dpp-release"};
   std::string file_ = dir_.file("binaries/dokploy_provider/dokploy-provider-linux");
};

TEST_F(ReleaseBundle, LoadsEveryShippedPluginWhenItIsTheOnlyFile) {
   const ProcessResult result = run({"plugins", "--output", "json"});
   ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
   const auto document = nlohmann::json::parse(result.out);
   std::set<std::string> loaded;
   for (const auto& plugin : document["plugins"]) {
      loaded.insert(plugin["id"].get<std::string>());
      EXPECT_EQ(plugin["file"].get<std::string>().rfind(cache().string(), 0), 0u)
          << plugin["file"] << " is not in the unpacked cache folder";
   }
   EXPECT_EQ(loaded, shipped_plugins());
   EXPECT_TRUE(document["failed"].empty()) << document["failed"].dump();
}

TEST_F(ReleaseBundle, VersionNamesTheHostAndEveryShippedPlugin) {
   const ProcessResult result = run({"version"});
   ASSERT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out.rfind("dokploy-provider ", 0), 0u) << result.out;
   for (const auto& id : shipped_plugins())
      EXPECT_NE(result.out.find("  " + id + " "), std::string::npos) << id;
   EXPECT_EQ(result.out.find("not loaded"), std::string::npos) << result.out;
}

TEST_F(ReleaseBundle, UnpacksIntoOnePrivateFolderNamedAfterItsVersion) {
   ASSERT_EQ(run({"version"}).exit_code, 0);
   const auto folders = unpacked_folders();
   ASSERT_EQ(folders.size(), 1u);
   EXPECT_EQ(folders[0].filename().string().rfind(std::string(DPP_TEST_VERSION) + "-", 0), 0u) << folders[0];
   for (const auto& item : fs::recursive_directory_iterator(dir_.file("home"))) {
      struct stat info {};
      ASSERT_EQ(::lstat(item.path().c_str(), &info), 0);
      EXPECT_EQ(info.st_mode & 077, 0u) << item.path() << " is readable by others";
      EXPECT_FALSE(S_ISLNK(info.st_mode)) << item.path();
   }
}

TEST_F(ReleaseBundle, ConcurrentFirstStartsAllSucceedWithOneUnpackedFolder) {
   std::vector<std::unique_ptr<ChildProcess>> children;
   std::vector<std::string> logs;
   for (int i = 0; i < 4; ++i) {
      ProcessOptions options;
      options.argv = {file_, "version"};
      options.env = environment();
      logs.push_back(dir_.file("run" + std::to_string(i) + ".log"));
      children.push_back(std::make_unique<ChildProcess>(options, logs.back()));
   }
   for (std::size_t i = 0; i < children.size(); ++i) {
      const auto code = children[i]->wait_for(std::chrono::minutes(2));
      ASSERT_TRUE(code.has_value()) << "start " << i << " did not finish";
      EXPECT_EQ(*code, 0) << read_file(logs[i]);
   }
   EXPECT_EQ(unpacked_folders().size(), 1u);
   for (const auto& item : fs::directory_iterator(cache()))
      EXPECT_EQ(item.path().filename().string().find(".tmp."), std::string::npos) << item.path();
}

TEST_F(ReleaseBundle, DamagedCopyFailsWithAMessageSayingToDownloadItAgain) {
   std::string bytes = read_file(file_);
   bytes[bytes.size() - 4096] ^= 0x20;  // inside the payload, before the trailer
   write_file(file_, bytes);
   const ProcessResult result = run({"version"});
   EXPECT_NE(result.exit_code, 0);
   EXPECT_NE(result.err.find("download dokploy-provider again"), std::string::npos) << result.err;
   EXPECT_TRUE(unpacked_folders().empty());
}

TEST_F(ReleaseBundle, NeedsNothingButGlibcOutsideItsOwnFolder) {
   ASSERT_EQ(run({"version"}).exit_code, 0);
   const auto folders = unpacked_folders();
   ASSERT_EQ(folders.size(), 1u);
   std::set<std::string> bundled;
   for (const auto& item : fs::directory_iterator(folders[0] / "lib")) bundled.insert(item.path().filename());
   const std::set<std::string> glibc = {
       "libc.so.6",  "libm.so.6",      "libdl.so.2",           "libpthread.so.0",
       "librt.so.1", "libresolv.so.2", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1"};
   std::vector<fs::path> files = {file_};
   for (const char* sub : {"plugins", "lib"})
      for (const auto& item : fs::directory_iterator(folders[0] / sub)) files.push_back(item.path());
   for (const auto& file : files) {
      const ProcessResult result = run_process({.argv = {"/usr/bin/readelf", "-dW", file.string()}});
      ASSERT_EQ(result.exit_code, 0) << result.err;
      std::istringstream lines(result.out);
      for (std::string line; std::getline(lines, line);) {
         const auto open = line.find("(NEEDED)");
         if (open == std::string::npos) continue;
         const std::string soname = line.substr(line.find('[') + 1, line.find(']') - line.find('[') - 1);
         const bool is_host = file == fs::path(file_);
         EXPECT_TRUE(glibc.count(soname) || (!is_host && bundled.count(soname)))
             << file << " needs " << soname << ", which is neither glibc nor in the bundle";
      }
      if (file != fs::path(file_)) {
         const ProcessResult runpath = run_process({.argv = {"/usr/bin/readelf", "-dW", file.string()}});
         EXPECT_NE(runpath.out.find("(RUNPATH)"), std::string::npos) << file << " has no RUNPATH";
      }
   }
}

}  // namespace
}  // namespace dpp::test

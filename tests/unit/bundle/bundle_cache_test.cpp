// Unit tests of the bundle cache (core/bundle/bundle_cache): unpacked once into private files,
// reused with stat() only, rebuilt when changed, never writing through a planted symlink, and
// unpacked once when many starts race.
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <map>
#include <thread>
#include <vector>

#include "bundle/bundle_cache.hpp"
#include "bundle/unique_fd.hpp"
#include "bundle_fixture.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace dpp::core::bundle {
namespace {
namespace fs = std::filesystem;

const std::map<std::string, std::string> kFiles = {{"plugins/dpp-a.so", std::string(200000, 'a')},
                                                   {"plugins/dpp-b.so", "plugin b"},
                                                   {"lib/libx.so.1", "library x"},
                                                   {"lib/deeper/still/libdeep.so.1", "deep"}};

unsigned mode_of(const fs::path& path) {
   struct stat info {};
   EXPECT_EQ(::lstat(path.c_str(), &info), 0) << path;
   return info.st_mode & 07777;
}

class BundleCache : public ::testing::Test {
 protected:
   void SetUp() override {
      parts_ = make_bundle(dir_, kFiles);
      fd_.reset(::open(parts_.bundle.c_str(), O_RDONLY | O_CLOEXEC));
      ASSERT_TRUE(fd_);
      request_ = {fd_.get(), read_trailer_of(fd_.get()), ""};
      request_.folder_name = bundle_folder_name("9.9.9", request_.trailer);
      base_ = fs::path(dir_.path()) / "home" / ".cache" / "dokploy-provider";
   }
   UnpackResult unpack() { return unpack_or_reuse(request_, {base_}); }
   fs::path folder() const { return base_ / request_.folder_name; }

   dpp::test::TempDir dir_{"dpp-bundle-cache"};
   BundleParts parts_;
   UniqueFd fd_;
   UnpackRequest request_;
   fs::path base_;
};

TEST_F(BundleCache, FolderNameIsTheVersionAndThePayloadHashPrefix) {
   EXPECT_EQ(request_.folder_name.rfind("9.9.9-", 0), 0u);
   EXPECT_EQ(request_.folder_name.size(), std::string("9.9.9-").size() + 16);
}

TEST_F(BundleCache, FirstUseUnpacksEveryFileIntoPrivateFilesAndFolders) {
   const UnpackResult result = unpack();
   EXPECT_TRUE(result.unpacked);
   EXPECT_EQ(result.folder, folder());
   for (const auto& [path, content] : kFiles) {
      EXPECT_EQ(test::read_file(folder() / path), content) << path;
      EXPECT_EQ(mode_of(folder() / path), 0600u) << path;
   }
   for (const fs::path& made : {base_.parent_path(), base_, folder(), folder() / "plugins", folder() / "lib",
                                folder() / "lib/deeper", folder() / "lib/deeper/still"})
      EXPECT_EQ(mode_of(made), 0700u) << made;
}

TEST_F(BundleCache, LaterUsesReuseTheFolderWithoutWritingAnything) {
   unpack();
   struct stat before {};
   ASSERT_EQ(::stat((folder() / "plugins/dpp-a.so").c_str(), &before), 0);
   const UnpackResult again = unpack();
   EXPECT_FALSE(again.unpacked);
   struct stat after {};
   ASSERT_EQ(::stat((folder() / "plugins/dpp-a.so").c_str(), &after), 0);
   EXPECT_EQ(before.st_ino, after.st_ino);
   EXPECT_EQ(before.st_ctim.tv_nsec, after.st_ctim.tv_nsec);
}

TEST_F(BundleCache, ChangedFileIsRestoredOnTheNextUse) {
   unpack();
   test::write_file(folder() / "plugins/dpp-b.so", "plugin B with the same size? no");
   const UnpackResult again = unpack();
   EXPECT_TRUE(again.unpacked);
   EXPECT_NE(again.note.find("dpp-b.so"), std::string::npos) << again.note;
   EXPECT_EQ(test::read_file(folder() / "plugins/dpp-b.so"), "plugin b");
}

TEST_F(BundleCache, FileRewrittenWithTheSameSizeIsStillNoticed) {
   unpack();
   // ctime ticks with the kernel's coarse clock: let one tick pass, as any real tampering would.
   std::this_thread::sleep_for(std::chrono::milliseconds(50));
   test::write_file(folder() / "lib/libx.so.1", "LIBRARY X");  // same length, new content
   EXPECT_TRUE(unpack().unpacked);
   EXPECT_EQ(test::read_file(folder() / "lib/libx.so.1"), "library x");
}

TEST_F(BundleCache, HalfWrittenFolderWithoutStampIsRebuilt) {
   unpack();
   fs::remove(folder() / ".bundle-stamp");
   fs::resize_file(folder() / "plugins/dpp-a.so", 10);
   EXPECT_TRUE(unpack().unpacked);
   EXPECT_EQ(fs::file_size(folder() / "plugins/dpp-a.so"), 200000u);
}

TEST_F(BundleCache, DeletedFileIsRestored) {
   unpack();
   fs::remove(folder() / "lib/libx.so.1");
   EXPECT_TRUE(unpack().unpacked);
   EXPECT_EQ(test::read_file(folder() / "lib/libx.so.1"), "library x");
}

TEST_F(BundleCache, SymlinkPlantedAtTheFolderNameIsReplacedNotWrittenThrough) {
   const fs::path elsewhere = fs::path(dir_.path()) / "elsewhere";
   fs::create_directories(elsewhere);
   fs::create_directories(base_);
   fs::create_directory_symlink(elsewhere, folder());
   EXPECT_TRUE(unpack().unpacked);
   EXPECT_FALSE(fs::is_symlink(folder()));
   EXPECT_TRUE(fs::is_empty(elsewhere));
   EXPECT_EQ(test::read_file(folder() / "plugins/dpp-b.so"), "plugin b");
}

TEST_F(BundleCache, SymlinkPlantedForAPluginFolderIsNotTrusted) {
   unpack();
   const fs::path elsewhere = fs::path(dir_.path()) / "elsewhere";
   fs::rename(folder() / "plugins", elsewhere);
   fs::create_directory_symlink(elsewhere, folder() / "plugins");
   EXPECT_TRUE(unpack().unpacked);
   EXPECT_FALSE(fs::is_symlink(folder() / "plugins"));
}

TEST_F(BundleCache, SymlinkedCacheLocationIsRefusedAndTheNextOneUsed) {
   const fs::path elsewhere = fs::path(dir_.path()) / "elsewhere";
   fs::create_directories(elsewhere);
   fs::create_directories(base_.parent_path());
   fs::create_directory_symlink(elsewhere, base_);
   const fs::path second = fs::path(dir_.path()) / "tmp" / "dokploy-provider-0";
   const UnpackResult result = unpack_or_reuse(request_, {base_, second});
   EXPECT_EQ(result.folder, second / request_.folder_name);
   EXPECT_TRUE(fs::is_empty(elsewhere));
}

TEST_F(BundleCache, UnusableLocationsAreAllNamedWhenNoneWorks) {
   try {
      unpack_or_reuse(request_, {"/proc/dpp-no-such/a", "/proc/dpp-no-such/b"});
      FAIL() << "expected CacheUnavailable";
   } catch (const CacheUnavailable& e) {
      EXPECT_NE(std::string(e.what()).find("/proc/dpp-no-such/a"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("/proc/dpp-no-such/b"), std::string::npos) << e.what();
   }
}

TEST_F(BundleCache, LeftoversOfADeadUnpackerAreRemoved) {
   fs::create_directories(base_ / ("." + request_.folder_name + ".tmp.999999") / "plugins");
   unpack();
   for (const auto& item : fs::directory_iterator(base_))
      EXPECT_EQ(item.path().filename().string().find(".tmp."), std::string::npos) << item.path();
}

TEST_F(BundleCache, DamagedPayloadIsRefusedBeforeAnythingIsWritten) {
   std::string bytes = test::read_file(parts_.bundle);
   bytes[parts_.host_size + 10] ^= 1;
   test::write_file(parts_.bundle, bytes);
   EXPECT_THROW(unpack(), BundleDamaged);
   EXPECT_FALSE(fs::exists(folder()));
}

TEST_F(BundleCache, ConcurrentFirstUsesAllSucceedAndUnpackOnce) {
   std::vector<std::thread> threads;
   std::vector<int> unpacked(6, -1);
   for (std::size_t i = 0; i < unpacked.size(); ++i)
      threads.emplace_back([&, i] {
         // Each thread with its own descriptor, as separate processes would have.
         UniqueFd fd(::open(parts_.bundle.c_str(), O_RDONLY | O_CLOEXEC));
         UnpackRequest request = request_;
         request.executable_fd = fd.get();
         try {
            unpacked[i] = unpack_or_reuse(request, {base_}).unpacked ? 1 : 0;
         } catch (...) {
            unpacked[i] = -1;
         }
      });
   for (auto& thread : threads) thread.join();
   int count = 0;
   for (int value : unpacked) {
      EXPECT_NE(value, -1);
      count += value == 1;
   }
   EXPECT_EQ(count, 1);
   EXPECT_EQ(test::read_file(folder() / "plugins/dpp-b.so"), "plugin b");
}

TEST_F(BundleCache, LocationOnANoexecFilesystemIsSkipped) {
   if (!dpp::test::running_as_root()) DPP_SKIP("mounting a noexec tmpfs needs root");
   const fs::path mount_point = fs::path(dir_.path()) / "noexec";
   const fs::path second = fs::path(dir_.path()) / "second";
   fs::create_directories(mount_point);
   // In a child with its own mount namespace: the tmpfs never appears on the machine and goes
   // away with the child, whatever happens.
   const pid_t child = ::fork();
   ASSERT_GE(child, 0);
   if (child == 0) {
      if (::unshare(CLONE_NEWNS) != 0 || ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
          ::mount("tmpfs", mount_point.c_str(), "tmpfs", MS_NOEXEC | MS_NOSUID | MS_NODEV, "size=16m") != 0)
         ::_exit(3);
      try {
         const UnpackResult result = unpack_or_reuse(request_, {mount_point / "cache", second});
         ::_exit(result.folder == second / request_.folder_name ? 0 : 1);
      } catch (...) {
         ::_exit(2);
      }
   }
   int status = 0;
   ASSERT_EQ(::waitpid(child, &status, 0), child);
   ASSERT_TRUE(WIFEXITED(status));
   if (WEXITSTATUS(status) == 3) DPP_SKIP("cannot mount a tmpfs in a private mount namespace here");
   EXPECT_EQ(WEXITSTATUS(status), 0) << "1: the noexec location was used; 2: no location worked";
   EXPECT_TRUE(fs::exists(second / request_.folder_name / "plugins/dpp-b.so"));
}

TEST_F(BundleCache, LocationOwnedBySomeoneElseIsSkipped) {
   if (!dpp::test::running_as_root()) DPP_SKIP("giving a folder to another user needs root");
   fs::create_directories(base_);
   ASSERT_EQ(::chown(base_.c_str(), 65534, 65534), 0);
   const fs::path second = fs::path(dir_.path()) / "second";
   const UnpackResult result = unpack_or_reuse(request_, {base_, second});
   EXPECT_EQ(result.folder, second / request_.folder_name);
   EXPECT_TRUE(fs::is_empty(base_));
}

}  // namespace
}  // namespace dpp::core::bundle

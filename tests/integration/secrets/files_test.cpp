// Every file the provider and its plugins keep for a machine is 0600 in a 0700 folder, replaced
// atomically (a new inode renamed over the old: a hard link to the old file keeps the old bytes,
// and no temporary file is left), and a symlink planted in MACHINE_FOLDER — for the state file,
// each key file, the password, the lock — is never followed: its target is never read, written
// or changed.
#include <gmock/gmock.h>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secrets_fixture.hpp"

namespace dpp::test::secrets {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> entries(const std::string& folder) {
   std::vector<std::string> names;
   if (DIR* dir = ::opendir(folder.c_str())) {
      while (dirent* entry = ::readdir(dir))
         if (std::string(entry->d_name) != "." && std::string(entry->d_name) != "..") names.push_back(entry->d_name);
      ::closedir(dir);
   }
   return names;
}

class PrivateFiles : public ::testing::TestWithParam<std::string> {
 protected:
   void SetUp() override { emulator().reset(); }
   TempDir dir_{"dpp-secret-files"};
};

TEST_P(PrivateFiles, AreOwnerOnlyInAnOwnerOnlyFolderAndLeaveNoTemporaryFiles) {
   const std::string folder = dir_.file("machine");
   const EnvMap env = machine_environment("secret-files", folder, GetParam());
   ::umask(0);  // the provider must not rely on the caller's umask
   const ProcessResult created = run_provider({"create"}, env);
   ::umask(022);
   ASSERT_EQ(created.exit_code, 0) << created.err;
   for (const std::string verb : {"status", "stop", "start"})
      EXPECT_EQ(run_provider({verb}, env).exit_code, 0) << verb;
   struct stat info {};
   ASSERT_EQ(::stat(folder.c_str(), &info), 0);
   EXPECT_EQ(info.st_mode & 07777, 0700u);
   const auto names = entries(folder);
   EXPECT_GE(names.size(), 3u);
   for (const auto& name : names) {
      ASSERT_EQ(::lstat((folder + "/" + name).c_str(), &info), 0) << name;
      EXPECT_TRUE(S_ISREG(info.st_mode)) << name;
      EXPECT_EQ(info.st_mode & 07777, 0600u) << name << " is not 0600";
      EXPECT_EQ(name.find(".tmp-"), std::string::npos) << "a temporary file was left: " << name;
      EXPECT_EQ(info.st_uid, ::geteuid()) << name;
   }
}

TEST_P(PrivateFiles, StateIsReplacedByRenameNotRewrittenInPlace) {
   const std::string folder = dir_.file("machine");
   const EnvMap env = machine_environment("secret-atomic", folder, GetParam());
   ASSERT_EQ(run_provider({"create"}, env).exit_code, 0);
   const std::string state = folder + "/dokploy-provider-state.json";
   const std::string before = read_file(state);
   ASSERT_EQ(::link(state.c_str(), dir_.file("old-state").c_str()), 0);
   struct stat old_info {};
   ::stat(state.c_str(), &old_info);
   ASSERT_EQ(run_provider({"stop"}, env).exit_code, 0);
   ASSERT_EQ(run_provider({"start"}, env).exit_code, 0);  // start records the endpoint again
   struct stat new_info {};
   ::stat(state.c_str(), &new_info);
   EXPECT_NE(new_info.st_ino, old_info.st_ino) << "the state file was rewritten in place";
   EXPECT_EQ(read_file(dir_.file("old-state")), before) << "the old inode was changed";
}

INSTANTIATE_TEST_SUITE_P(Auth, PrivateFiles, ::testing::Values("key", "password"),
                         [](const ::testing::TestParamInfo<std::string>& test_info) { return test_info.param; });

struct Planted {
   std::string file;  // in MACHINE_FOLDER
   std::string auth;
};

void PrintTo(const Planted& p, std::ostream* out) {
   *out << p.file;
}

class PlantedSymlink : public ::testing::TestWithParam<Planted> {
 protected:
   void SetUp() override { emulator().reset(); }
   TempDir dir_{"dpp-secret-link"};
};

TEST_P(PlantedSymlink, IsNeverFollowed) {
   const Planted& planted = GetParam();
   const std::string folder = dir_.file("machine");
   ASSERT_EQ(::mkdir(folder.c_str(), 0700), 0);
   const std::string target = dir_.write("target", "the attacker's file\n", 0644);
   const std::string link = folder + "/" + planted.file;
   ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
   const EnvMap env = machine_environment("secret-link", folder, planted.auth);
   std::vector<ProcessResult> runs;
   for (const std::string verb : {"create", "status", "command", "delete"}) {
      std::vector<std::string> args = {verb};
      if (verb == "command") args.push_back("true");
      runs.push_back(run_provider(args, env));
   }
   // Refusing (with a message about the link) or replacing the link are both safe; following it
   // is not.
   EXPECT_EQ(read_file(target), "the attacker's file\n") << planted.file << ": the target was written";
   struct stat info {};
   ASSERT_EQ(::stat(target.c_str(), &info), 0);
   EXPECT_EQ(info.st_mode & 07777, 0644u) << "the target's mode was changed";
   bool refused = false;
   for (const auto& run : runs) refused |= run.err.find("symbolic link") != std::string::npos ||
                                           run.err.find("Too many levels of symbolic links") != std::string::npos;
   struct stat link_info {};
   const bool replaced = ::lstat(link.c_str(), &link_info) != 0 || !S_ISLNK(link_info.st_mode);
   EXPECT_TRUE(refused || replaced) << "the link was neither refused nor replaced";
   for (const auto& run : runs) EXPECT_EQ(run.err.find("the attacker's file"), std::string::npos);
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(Files, PlantedSymlink, ::testing::Values(
    Planted{"dokploy-provider-state.json", "key"},
    Planted{"id_ed25519", "key"},
    Planted{"id_ed25519.pub", "key"},
    Planted{"ssh_host_ed25519_key", "key"},
    Planted{"ssh-password", "password"},
    Planted{"ssh-password.sha512", "password"},
    Planted{".dokploy-provider.lock", "key"}),
    [](const ::testing::TestParamInfo<Planted>& test_info) {
       std::string name = test_info.param.file;
       for (char& c : name) if (c == '.' || c == '-') c = '_';
       return name;
    });
// clang-format on

}  // namespace
}  // namespace dpp::test::secrets

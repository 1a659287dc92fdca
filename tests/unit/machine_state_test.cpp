// The machine's state file: what it keeps, that it is private (0600 in a 0700 folder) and
// replaced atomically, and how a corrupt, foreign, newer or planted file is handled.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>

#include "errors.hpp"
#include "state/machine_state.hpp"
#include "support/temp_dir.hpp"

namespace dpp::core {
namespace {

namespace fs = std::filesystem;

unsigned mode_of(const std::string& path) {
   struct stat info {};
   EXPECT_EQ(::lstat(path.c_str(), &info), 0) << path;
   return info.st_mode & 07777;
}

bool contains(const std::string& text, const std::string& part) {
   return text.find(part) != std::string::npos;
}

class MachineStateFile : public ::testing::Test {
 protected:
   std::string folder() const { return dir_.file("machines/m1"); }
   std::string state_path() const { return folder() + "/" + MachineState::kFileName; }
   MachineState saved() {
      MachineState state(folder(), "m1");
      state.backend_id = "dokploy";
      state.transport_id = "libssh2";
      state.auth_id = "key";
      state.endpoint = {"ws.example", 2222, "devpod", "ssh-ed25519 AAAAC3Nza"};
      state.unreachable_since_ms = 1234;
      state.set_plugin_value("dokploy", "application_id", "app-42");
      state.save();
      return state;
   }
   std::string load_error(const std::string& machine = "m1") {
      MachineState state(folder(), machine);
      try {
         state.load();
      } catch (const ProviderError& e) {
         return e.what();
      }
      ADD_FAILURE() << "the state file was loaded";
      return "";
   }
   test::TempDir dir_{"dpp-state"};
};

TEST_F(MachineStateFile, MissingFileIsAnEmptyStateNotAnError) {
   MachineState state(folder(), "m1");
   state.load();
   EXPECT_FALSE(state.existed());
   EXPECT_FALSE(state.corruption().has_value());
   EXPECT_FALSE(state.endpoint.known());
}

TEST_F(MachineStateFile, EverythingSavedIsLoadedBack) {
   saved();
   MachineState state(folder(), "m1");
   state.load();
   EXPECT_TRUE(state.existed());
   EXPECT_FALSE(state.corruption().has_value());
   EXPECT_EQ(state.backend_id, "dokploy");
   EXPECT_EQ(state.transport_id, "libssh2");
   EXPECT_EQ(state.auth_id, "key");
   EXPECT_EQ(state.endpoint.host, "ws.example");
   EXPECT_EQ(state.endpoint.port, 2222);
   EXPECT_EQ(state.endpoint.user, "devpod");
   EXPECT_EQ(state.endpoint.host_key, "ssh-ed25519 AAAAC3Nza");
   EXPECT_EQ(state.unreachable_since_ms, 1234);
   EXPECT_EQ(state.plugin_value("dokploy", "application_id"), "app-42");
   EXPECT_EQ(state.plugin_value("dokploy", "other"), std::nullopt);
   EXPECT_EQ(state.plugin_value("libssh2", "application_id"), std::nullopt);
}

TEST_F(MachineStateFile, FileIsPrivateInAPrivateFolderWhateverTheUmask) {
   const mode_t old = ::umask(0);
   saved();
   ::umask(old);
   EXPECT_EQ(mode_of(state_path()), 0600u);
   EXPECT_EQ(mode_of(folder()), 0700u);
}

TEST_F(MachineStateFile, FolderThatIsTooOpenIsMadePrivate) {
   fs::create_directories(folder());
   ::chmod(folder().c_str(), 0777);
   saved();
   EXPECT_EQ(mode_of(folder()), 0700u);
}

TEST_F(MachineStateFile, SaveReplacesTheFileAtomicallyAndLeavesNoTemporaryFiles) {
   saved();
   struct stat before {};
   ::stat(state_path().c_str(), &before);
   MachineState state(folder(), "m1");
   state.load();
   state.backend_id = "other";
   state.save();
   struct stat after {};
   ::stat(state_path().c_str(), &after);
   EXPECT_NE(before.st_ino, after.st_ino) << "the file was rewritten in place, not replaced by a rename";
   std::vector<std::string> names;
   for (const auto& entry : fs::directory_iterator(folder())) names.push_back(entry.path().filename());
   EXPECT_EQ(names, std::vector<std::string>{MachineState::kFileName});
}

TEST_F(MachineStateFile, FailedSaveLeavesTheOldFileIntactAndNoTemporaryFile) {
   saved();
   const std::string name = "machines/m1/" + std::string(MachineState::kFileName);
   const std::string before = dir_.read(name);
   MachineState state(folder(), "m1");
   state.load();
   state.backend_id = "changed";
   // A file size limit makes the write fail half-way, also for root (CI runs as root).
   struct rlimit old_limit {};
   ::getrlimit(RLIMIT_FSIZE, &old_limit);
   struct rlimit tiny = old_limit;
   tiny.rlim_cur = 16;
   auto* old_handler = ::signal(SIGXFSZ, SIG_IGN);
   ::setrlimit(RLIMIT_FSIZE, &tiny);
   EXPECT_THROW(state.save(), ProviderError);
   ::setrlimit(RLIMIT_FSIZE, &old_limit);
   ::signal(SIGXFSZ, old_handler);
   EXPECT_EQ(dir_.read(name), before);
   std::vector<std::string> names;
   for (const auto& entry : fs::directory_iterator(folder())) names.push_back(entry.path().filename());
   EXPECT_EQ(names, std::vector<std::string>{MachineState::kFileName});
}

TEST_F(MachineStateFile, SymlinkPlantedInPlaceOfTheFileIsRefusedOnLoad) {
   fs::create_directories(folder());
   const std::string target = dir_.write("elsewhere.json", "{}");
   fs::create_symlink(target, state_path());
   const std::string message = load_error();
   EXPECT_TRUE(contains(message, state_path() + " is a symbolic link; refusing to follow it")) << message;
}

TEST_F(MachineStateFile, SymlinkPlantedInPlaceOfTheFileIsReplacedNotFollowedOnSave) {
   fs::create_directories(folder());
   const std::string target = dir_.write("victim.txt", "precious\n");
   fs::create_symlink(target, state_path());
   MachineState state(folder(), "m1");
   state.save();
   EXPECT_EQ(dir_.read("victim.txt"), "precious\n");
   EXPECT_FALSE(fs::is_symlink(state_path()));
}

TEST_F(MachineStateFile, InvalidJsonIsReportedAsCorruptionAndGivesAnEmptyState) {
   fs::create_directories(folder());
   dir_.write("machines/m1/" + std::string(MachineState::kFileName), "{\"format\": \"dokploy-prov");
   MachineState state(folder(), "m1");
   state.load();
   EXPECT_TRUE(state.existed());
   ASSERT_TRUE(state.corruption().has_value());
   EXPECT_EQ(*state.corruption(), "it is not a JSON object");
   EXPECT_FALSE(state.endpoint.known());
}

TEST_F(MachineStateFile, JsonOfTheWrongShapeIsCorruption) {
   fs::create_directories(folder());
   const std::string name = "machines/m1/" + std::string(MachineState::kFileName);
   dir_.write(name, R"({"format":"dokploy-provider-machine-state","version":1,"machine_id":"m1",
                       "endpoint":{"host":"h","port":"not a number"}})");
   MachineState state(folder(), "m1");
   state.load();
   ASSERT_TRUE(state.corruption().has_value());
   EXPECT_TRUE(contains(*state.corruption(), "wrong shape"));
   EXPECT_FALSE(state.endpoint.known());
   EXPECT_TRUE(state.backend_id.empty());
}

TEST_F(MachineStateFile, OutOfRangePortIsCorruption) {
   fs::create_directories(folder());
   dir_.write("machines/m1/" + std::string(MachineState::kFileName),
              R"({"format":"dokploy-provider-machine-state","version":1,"machine_id":"m1",
                  "endpoint":{"host":"h","port":70000}})");
   MachineState state(folder(), "m1");
   state.load();
   EXPECT_EQ(state.corruption(), "its endpoint port is out of range");
}

TEST_F(MachineStateFile, AnotherProgramsJsonIsCorruption) {
   fs::create_directories(folder());
   dir_.write("machines/m1/" + std::string(MachineState::kFileName), R"({"hello":"world"})");
   MachineState state(folder(), "m1");
   state.load();
   EXPECT_EQ(state.corruption(), "it is not a dokploy-provider state file");
}

TEST_F(MachineStateFile, AnotherMachinesFileIsCorruptionNamingThatMachine) {
   saved();
   MachineState state(folder(), "m2");
   state.load();
   EXPECT_EQ(state.corruption(), "it belongs to machine 'm1'");
   EXPECT_FALSE(state.endpoint.known());
}

TEST_F(MachineStateFile, FileOfANewerFormatIsRefusedNotOverwritten) {
   fs::create_directories(folder());
   dir_.write("machines/m1/" + std::string(MachineState::kFileName),
              R"({"format":"dokploy-provider-machine-state","version":2,"machine_id":"m1"})");
   const std::string message = load_error();
   EXPECT_TRUE(contains(message,
                        "was written by a newer dokploy-provider (state format 2); upgrade dokploy-provider"))
       << message;
}

TEST_F(MachineStateFile, HugeFileIsRefusedAsNotOurs) {
   fs::create_directories(folder());
   dir_.write("machines/m1/" + std::string(MachineState::kFileName),
              std::string(MachineState::kMaxFileBytes + 1, ' '));
   EXPECT_TRUE(contains(load_error(), "is larger than"));
}

TEST_F(MachineStateFile, FolderInPlaceOfTheFileIsRefused) {
   fs::create_directories(state_path());
   EXPECT_TRUE(contains(load_error(), "is not a regular file"));
}

TEST_F(MachineStateFile, RemoveDeletesTheFileAndIsIdempotent) {
   MachineState state = saved();
   state.remove();
   EXPECT_FALSE(fs::exists(state_path()));
   EXPECT_NO_THROW(state.remove());
}

TEST_F(MachineStateFile, PluginValuesAreRemovedWithNullAndEmptyPluginsDisappear) {
   MachineState state(folder(), "m1");
   state.set_plugin_value("p", "a", "1");
   state.set_plugin_value("p", "a", std::nullopt);
   state.set_plugin_value("q", "missing", std::nullopt);
   EXPECT_FALSE(contains(state.serialize(), "\"p\""));
}

TEST_F(MachineStateFile, SerializedFormIsVersionedJsonThatParsesBack) {
   MachineState state = saved();
   const std::string text = state.serialize();
   EXPECT_TRUE(contains(text, "\"format\": \"dokploy-provider-machine-state\""));
   EXPECT_TRUE(contains(text, "\"version\": 1"));
   MachineState copy(folder(), "m1");
   EXPECT_EQ(copy.parse(text), std::nullopt);
   EXPECT_EQ(copy.serialize(), text);
}

}  // namespace
}  // namespace dpp::core

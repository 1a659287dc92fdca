// Which DevPod the conformance suite and the demo use (choose_devpod): the real CLI from
// DEVPOD_BIN or PATH, the in-house driver otherwise or when asked for, and an error rather than a
// silent fallback when a setting names something that is not there. The "devpod"s here are
// small scripts that answer `devpod version` like a development or a release build.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <optional>

#include "support/devpod_client.hpp"
#include "support/temp_dir.hpp"

namespace dpp::test::devpod {
namespace {

class DevPodChoiceTest : public ::testing::Test {
 protected:
   void SetUp() override {
      for (const char* name : {"DEVPOD_BIN", "DPP_E2E_DEVPOD", "PATH"}) {
         const char* value = std::getenv(name);
         saved_[name] = value ? std::optional<std::string>(value) : std::nullopt;
         ::unsetenv(name);
      }
      ::setenv("PATH", empty_.path().c_str(), 1);
   }
   void TearDown() override {
      for (const auto& [name, value] : saved_)
         value ? ::setenv(name.c_str(), value->c_str(), 1) : ::unsetenv(name.c_str());
   }

   // A devpod in its own folder that says `version` is `version`; returns its path.
   std::string fake_devpod(const std::string& folder, const std::string& version) {
      return bin_.write(folder + "-devpod", "#!/bin/sh\n[ \"$1\" = version ] && echo " + version + "\n",
                        0755);
   }
   // Puts `binary` on PATH as `devpod`.
   void on_path(const std::string& binary) {
      const std::string link = path_dir_.file("devpod");
      ASSERT_EQ(::symlink(binary.c_str(), link.c_str()), 0);
      ::setenv("PATH", path_dir_.path().c_str(), 1);
   }

   TempDir empty_{"dpp-choice-empty"};
   TempDir bin_{"dpp-choice-bin"};
   TempDir path_dir_{"dpp-choice-path"};
   std::map<std::string, std::optional<std::string>> saved_;
};

TEST_F(DevPodChoiceTest, WithoutAnyDevPodTheInHouseDriverIsUsedAndTheReasonSaysWhereItLooked) {
   const DevPodChoice choice = choose_devpod();
   EXPECT_FALSE(choice.real_binary);
   EXPECT_TRUE(choice.error.empty()) << choice.error;
   EXPECT_EQ(describe(choice), "in-house driver: no devpod on PATH and DEVPOD_BIN is not set");
}

TEST_F(DevPodChoiceTest, ADevelopmentBuildOnPathIsUsedWithItsVersion) {
   on_path(fake_devpod("dev", "v0.0.0"));
   const DevPodChoice choice = choose_devpod();
   ASSERT_TRUE(choice.real_binary) << describe(choice);
   EXPECT_EQ(*choice.real_binary, path_dir_.file("devpod"));
   EXPECT_EQ(describe(choice), "real CLI " + path_dir_.file("devpod") + " (version v0.0.0)");
}

TEST_F(DevPodChoiceTest, AReleaseBuildOnPathIsPassedOverBecauseItsAgentWouldBeDownloaded) {
   on_path(fake_devpod("release", "v0.5.7"));
   const DevPodChoice choice = choose_devpod();
   EXPECT_FALSE(choice.real_binary);
   EXPECT_TRUE(choice.error.empty()) << choice.error;
   EXPECT_NE(choice.in_house_reason.find("v0.5.7, a release build"), std::string::npos)
       << choice.in_house_reason;
}

TEST_F(DevPodChoiceTest, DevPodBinIsUsedWhateverItsVersionAndWinsOverPath) {
   on_path(fake_devpod("dev", "v0.0.0"));
   const std::string release = fake_devpod("release", "v0.5.7");
   ::setenv("DEVPOD_BIN", release.c_str(), 1);
   const DevPodChoice choice = choose_devpod();
   ASSERT_TRUE(choice.real_binary) << describe(choice);
   EXPECT_EQ(*choice.real_binary, release);
   EXPECT_EQ(choice.real_version, "v0.5.7");
}

TEST_F(DevPodChoiceTest, DevPodBinNoneAndTheInHouseSwitchForceTheInHouseDriver) {
   on_path(fake_devpod("dev", "v0.0.0"));
   ::setenv("DEVPOD_BIN", "none", 1);
   EXPECT_EQ(describe(choose_devpod()), "in-house driver: DEVPOD_BIN=none turns the real CLI off");
   ::setenv("DEVPOD_BIN", fake_devpod("other", "v0.0.0").c_str(), 1);
   ::setenv("DPP_E2E_DEVPOD", "in-house", 1);
   EXPECT_EQ(describe(choose_devpod()), "in-house driver: DPP_E2E_DEVPOD=in-house");
}

TEST_F(DevPodChoiceTest, ADevPodBinThatIsNotThereIsAnErrorNotAFallback) {
   ::setenv("DEVPOD_BIN", (empty_.path() + "/no-such-devpod").c_str(), 1);
   const DevPodChoice choice = choose_devpod();
   EXPECT_FALSE(choice.real_binary);
   EXPECT_NE(choice.error.find("no-such-devpod is not an executable file"), std::string::npos)
       << choice.error;
   EXPECT_NE(choice.error.find("DEVPOD_BIN=none"), std::string::npos) << choice.error;
}

TEST_F(DevPodChoiceTest, AskingForTheRealCliWithoutOneIsAnError) {
   ::setenv("DPP_E2E_DEVPOD", "real", 1);
   const DevPodChoice choice = choose_devpod();
   EXPECT_FALSE(choice.real_binary);
   EXPECT_NE(choice.error.find("DPP_E2E_DEVPOD=real, but no devpod on PATH"), std::string::npos)
       << choice.error;
}

TEST_F(DevPodChoiceTest, AnUnknownModeIsAnError) {
   ::setenv("DPP_E2E_DEVPOD", "yes", 1);
   EXPECT_EQ(choose_devpod().error, "DPP_E2E_DEVPOD=yes is not one of auto, real, in-house");
}

}  // namespace
}  // namespace dpp::test::devpod

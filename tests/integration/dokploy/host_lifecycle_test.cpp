// The workspace lifecycle as DevPod drives it, through the real dokploy-provider binary and its
// real plugins, against the emulator's workspace runner: every verb, and commands that run in a
// real Debian workspace over SSH.
#include <gtest/gtest.h>

#include <cstdio>

#include "host_fixture.hpp"

namespace dpp::test {
namespace {

struct Case {
   std::string kind;     // DOKPLOY_SERVICE_TYPE
   std::string version;  // the Dokploy version emulated
};

void PrintTo(const Case& c, std::ostream* out) {
   *out << c.kind << " on Dokploy " << c.version;
}

class HostLifecycle : public HostProviderTest, public ::testing::WithParamInterface<Case> {
 protected:
   void SetUp() override {
      HostProviderTest::SetUp();
      if (emulator_) emulator_->set_version(GetParam().version);
   }
   ProcessResult provider(const std::string& verb, const std::string& machine_id, EnvMap extra = {},
                          std::optional<std::string> input = std::nullopt) {
      return HostProviderTest::provider(verb, machine_id, GetParam().kind, std::move(extra),
                                        std::move(input));
   }
};

TEST_P(HostLifecycle, EveryVerbWorksAgainstARealWorkspace) {
   const std::string machine = "itest-" + GetParam().kind.substr(0, 3);
   std::printf("%s service, Dokploy %s:\n", GetParam().kind.c_str(), GetParam().version.c_str());

   ProcessResult result = provider("init", machine);
   ASSERT_EQ(result.exit_code, 0) << result.err;

   result = provider("status", machine);
   ASSERT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "NotFound\n");

   result = provider("create", machine);
   ASSERT_EQ(result.exit_code, 0) << result.err << "\n" << emulator_->log().substr(0, 4000);
   EXPECT_NE(result.out.find("DEVPOD_MACHINE_HOST=127.0.0.1\n"), std::string::npos) << result.out;
   EXPECT_NE(result.out.find("DEVPOD_MACHINE_PORT=422"), std::string::npos) << result.out;

   result = provider("status", machine);
   ASSERT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "Running\n");

   result =
       provider("command", machine, {{"COMMAND", "echo \"hello $((6 * 7))\"; id -un; cat"}}, "from stdin\n");
   ASSERT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "hello 42\ndevpod\nfrom stdin\n");

   result = provider("command", machine, {{"COMMAND", "exit 7"}});
   EXPECT_EQ(result.exit_code, 7) << result.err;

   result = provider("create", machine);
   ASSERT_EQ(result.exit_code, 0) << "create is idempotent: " << result.err;

   result = provider("stop", machine);
   ASSERT_EQ(result.exit_code, 0) << result.err;
   result = provider("status", machine);
   EXPECT_EQ(result.out, "Stopped\n");

   result = provider("start", machine);
   ASSERT_EQ(result.exit_code, 0) << result.err;
   result = provider("status", machine);
   EXPECT_EQ(result.out, "Running\n");
   result = provider("command", machine, {{"COMMAND", "test -d \"$HOME\" && echo home-kept"}});
   EXPECT_EQ(result.out, "home-kept\n") << result.err;

   result = provider("delete", machine);
   ASSERT_EQ(result.exit_code, 0) << result.err;
   result = provider("status", machine);
   EXPECT_EQ(result.out, "NotFound\n");

   EXPECT_TRUE(left_behind().empty()) << left_behind().front();
}

INSTANTIATE_TEST_SUITE_P(Dokploy, HostLifecycle,
                         ::testing::Values(Case{"compose", "v0.30.2"}, Case{"application", "v0.30.2"},
                                           Case{"compose", "v0.24.3"}, Case{"application", "v0.24.3"},
                                           Case{"application", "v0.25.7"}),
                         [](const ::testing::TestParamInfo<Case>& param) {
                            std::string name = param.param.kind + "_" + param.param.version;
                            for (char& c : name)
                               if (c == '.') c = '_';
                            return name;
                         });

}  // namespace
}  // namespace dpp::test

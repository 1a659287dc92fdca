// Hostile machine state files: whoever can write MACHINE_FOLDER can put anything in the state
// file. Each is either recovered from (a warning naming the file and the reason, then the verb
// works by asking the backend) or refused (a symlink, an oversized file, a newer format), never
// a crash or undefined behaviour (the ASan+UBSan build runs these too).
#include <gmock/gmock.h>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "hostile_fixture.hpp"

namespace dpp::test::hostile {
namespace {

using ::testing::HasSubstr;

const std::string kHostile = DPP_HOSTILE_PLUGIN;  // its backend says "stopped" for everything

struct StateCase {
   std::string name;
   std::string content;
   int exit_code;      // of `status`
   std::string says;   // in stderr
};

void PrintTo(const StateCase& c, std::ostream* out) {
   *out << c.name;
}

std::string state(const std::string& endpoint, const std::string& extra = "") {
   return R"({"format": "dokploy-provider-machine-state", "version": 1, "machine_id": "m1", )" + extra +
          R"("endpoint": )" + endpoint + "}";
}

class StateFiles : public ::testing::TestWithParam<StateCase> {
 protected:
   TempDir dir_{"dpp-hostile-state"};
};

TEST_P(StateFiles, AreRecoveredFromOrRefusedWithTheReason) {
   const StateCase& c = GetParam();
   const std::string folder = dir_.file("m1");
   ::mkdir(folder.c_str(), 0700);
   const std::string file = folder + "/dokploy-provider-state.json";
   std::ofstream(file, std::ios::binary) << c.content;
   ::chmod(file.c_str(), 0600);
   EnvMap env = clean_environment();
   env["DOKPLOY_BACKEND"] = kHostile;
   env["MACHINE_ID"] = "m1";
   env["MACHINE_FOLDER"] = folder;
   const ProcessResult result = run_provider({"status"}, env);
   EXPECT_EQ(result.exit_code, c.exit_code) << result.err;
   EXPECT_THAT(result.err, HasSubstr(c.says));
   if (c.exit_code == 0) {
      EXPECT_EQ(result.out, "Stopped\n");
   }
   EXPECT_FALSE(has_raw_control_bytes(result.err)) << result.err;
   EXPECT_LT(result.err.size(), 8192u);
}

const std::string kKey = "\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINdamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea\"";

// clang-format off
INSTANTIATE_TEST_SUITE_P(Hostile, StateFiles, ::testing::Values(
    StateCase{"raw_nul", state(R"({"host": "127.0.0.1)" + std::string("\0", 1) + R"(evil", "port": 22})"), 0, "is unusable (it is not a JSON object)"},
    StateCase{"escaped_nul_in_host", state(R"({"host": "127.0.0.1\u0000-oProxyCommand=x", "port": 22, "host_key": )" + kKey + "}"), 0, "is unusable (its endpoint holds control characters)"},
    StateCase{"newline_in_key", state(R"({"host": "h", "port": 22, "host_key": "ssh-ed25519 AAAA\n@revoked * x"})"), 0, "its endpoint holds control characters"},
    StateCase{"float_port", state(R"({"host": "h", "port": 1e300})"), 0, "its endpoint port is out of range"},
    StateCase{"port_wraps_to_22", state(R"({"host": "h", "port": 4294967318})"), 0, "its endpoint port is out of range"},
    StateCase{"huge_version", R"({"format": "dokploy-provider-machine-state", "version": 1e300, "machine_id": "m1"})", 0, "its format version is not a whole number"},
    StateCase{"float_unreachable", state(R"({"host": "h", "port": 22})", R"("unreachable_since_ms": -1.5e300, )"), 0, "unreachable_since_ms is not a whole number"},
    StateCase{"invalid_utf8", state("{\"host\": \"caf\xe9\", \"port\": 22}"), 0, "is unusable (it is not a JSON object)"},
    StateCase{"other_machine", R"({"format": "dokploy-provider-machine-state", "version": 1, "machine_id": "m2"})", 0, "it belongs to machine 'm2'"},
    StateCase{"wrong_shape", R"({"format": "dokploy-provider-machine-state", "version": 1, "machine_id": "m1", "plugins": {"x": {"k": 5}}})", 0, "its content has the wrong shape"},
    StateCase{"not_json", "\x1b[2J\xff\xfe", 0, "is unusable (it is not a JSON object)"},
    StateCase{"newer_format", R"({"format": "dokploy-provider-machine-state", "version": 2, "machine_id": "m1"})", 1, "was written by a newer dokploy-provider"},
    StateCase{"two_mebibytes", std::string(2 << 20, ' '), 1, "is larger than 1048576 bytes"}));
// clang-format on

TEST(StateFileLinks, PlantedSymlinkIsNeverFollowed) {
   TempDir dir("dpp-hostile-state-link");
   const std::string folder = dir.file("m1");
   ::mkdir(folder.c_str(), 0700);
   const std::string target = dir.write("target", "precious\n");
   ASSERT_EQ(::symlink(target.c_str(), (folder + "/dokploy-provider-state.json").c_str()), 0);
   EnvMap env = clean_environment();
   env["DOKPLOY_BACKEND"] = kHostile;
   env["MACHINE_ID"] = "m1";
   env["MACHINE_FOLDER"] = folder;
   const ProcessResult result = run_provider({"status"}, env);
   EXPECT_EQ(result.exit_code, 1) << result.err;
   EXPECT_THAT(result.err, HasSubstr("is a symbolic link; refusing to follow it"));
   EXPECT_EQ(dir.read("target"), "precious\n");
}

}  // namespace
}  // namespace dpp::test::hostile

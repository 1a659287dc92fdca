// Values the provider carries (project and environment names, the API token, MACHINE_FOLDER) reach
// Dokploy exactly and never the workspace: after a real `create` against the emulator, the
// workspace spec the emulator made from the stored service (Compose's interpolation applied) runs
// exactly the bootstrap script with exactly the provider's environment, and no hostile value
// appears in its compose file, command or environment. Values that cannot be carried (MACHINE_ID
// outside [a-z0-9-], control bytes) are refused before any request.
#include <gmock/gmock.h>

#include <sys/stat.h>

#include <memory>
#include <set>

#include "hostile_fixture.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::hostile {
namespace {

using ::testing::HasSubstr;

const std::string kProbeTransport = DPP_HOSTILE_PLUGIN;  // its transport's probe always answers

// Which values each check applies to; each check is instantiated only for the kinds that have one.
// Names and MACHINE_ID take every value an environment can carry (env_capable). The token: the
// option check refuses the others (see OptionValues); @CANARY@'s path keeps a value printable.
bool token_applies(const HostileValue& hostile) {
   return accepted_as_text(hostile.value) && hostile.value.size() >= 8;
}
bool folder_applies(const HostileValue& hostile) {
   return hostile.env_capable && hostile.value.size() <= 1024;  // longer is no path to make
}

Emulator& emulator() {
   static std::unique_ptr<Emulator> instance = std::make_unique<Emulator>();
   return *instance;
}

class CarriedValues : public ::testing::TestWithParam<std::string> {
 protected:
   void SetUp() override {
      emulator().reset();
      emulator().clear_faults();
   }

   EnvMap environment(const std::string& machine, const std::string& folder) const {
      EnvMap env = clean_environment();
      env["DOKPLOY_SERVER_URL"] = emulator().url();
      env["DOKPLOY_API_TOKEN"] = emulator().token();
      env["DOKPLOY_SSH_TRANSPORT"] = kProbeTransport;  // SSH is not what these tests are about
      env["DOKPLOY_SSH_AUTH"] = "key";
      env["DOKPLOY_POLL_INTERVAL"] = "100ms";
      env["DOKPLOY_SSH_PORT_RANGE"] = "43200-43299";
      env["MACHINE_ID"] = machine;
      env["MACHINE_FOLDER"] = folder;
      return env;
   }

   // The one workspace the emulator runs, checked to run nothing but the provider's bootstrap with
   // the provider's environment, and to carry `value` nowhere.
   void expect_clean_workspace(const std::string& value) const {
      const auto specs = workspace_specs(emulator());
      ASSERT_EQ(specs.size(), 1u) << emulator().workspaces().dump(2);
      const nlohmann::json& spec = specs.begin()->second;
      EXPECT_EQ(spec["image"], "cruizba/ubuntu-dind:latest");
      ASSERT_TRUE(spec["entrypoint"].is_array()) << spec.dump(2);
      EXPECT_EQ(spec["entrypoint"].size(), 3u);
      EXPECT_EQ(spec["entrypoint"][0], "/bin/sh");
      EXPECT_EQ(spec["entrypoint"][1], "-c");
      EXPECT_EQ(spec["entrypoint"][2], bootstrap_script()) << "the workspace would not run the bootstrap as written";
      EXPECT_TRUE(spec["command"].is_null() || spec["command"].empty()) << spec["command"].dump();
      std::set<std::string> names;
      for (const auto& pair : spec["env"]) {
         names.insert(pair[0].get<std::string>());
         if (value.size() >= 3) {
            EXPECT_EQ(pair[1].get<std::string>().find(value), std::string::npos) << "the value reached " << pair[0];
         }
      }
      const std::set<std::string> expected = {"DPP_SSH_PORT", "DPP_SSH_USER", "DPP_SSH_AUTHORIZED_KEY",
                                              "DPP_SSH_HOST_KEY", "DPP_DOCKERD"};
      for (const auto& name : expected) EXPECT_TRUE(names.count(name)) << name << " is missing";
      for (const auto& name : names)
         EXPECT_TRUE(expected.count(name) || name.rfind("DPP_DOKPLOY_", 0) == 0)
             << "the workspace has an unexpected variable " << name;
      const std::string text = spec.dump();
      if (value.size() >= 3) {
         EXPECT_EQ(text.find(nlohmann::json(value).dump()), std::string::npos);
      }
      // The stored compose file (what Dokploy would hand to docker compose).
      const nlohmann::json state = emulator().state();
      for (const auto& compose : state["compose"]) {
         const std::string file = compose.value("composeFile", "");
         if (value.size() >= 3) {
            EXPECT_EQ(file.find(value), std::string::npos) << file;
         }
      }
   }

   void check_ProjectAndEnvironmentNamesReachDokployExactlyAndNotTheWorkspace(const HostileValue& hostile);
   void check_ApiTokenIsSentOnlyAsTheHeaderAndNeverReachesTheWorkspace(const HostileValue& hostile);
   void check_MachineIdIsRefusedUnlessItIsDevPodsShapeAndNothingIsAsked(const HostileValue& hostile);
   void check_MachineFolderIsUsedExactlyAsGivenOrRefused(const HostileValue& hostile);
   int checked_ = 0;  // values a check applied to
   TempDir dir_{"dpp-hostile-carried"};
};

// One suite per check, each instantiated with the kinds it applies to.
class CarriedNames : public CarriedValues {};
class CarriedToken : public CarriedValues {};
class CarriedMachineId : public CarriedValues {};
class CarriedMachineFolder : public CarriedValues {};

void CarriedValues::check_ProjectAndEnvironmentNamesReachDokployExactlyAndNotTheWorkspace(const HostileValue& hostile) {
   if (!env_capable(hostile)) return;
   ++checked_;
   const std::string value = with_canary(hostile.value, dir_.file("canary"));
   EnvMap env = environment("hostile-names", dir_.file("machine-" + hostile.name));
   env["DOKPLOY_PROJECT_NAME"] = value;
   env["DOKPLOY_ENVIRONMENT_NAME"] = value;
   const ProcessResult result = run_provider({"create"}, env);
   EXPECT_FALSE(has_raw_control_bytes(result.err)) << result.err.substr(0, 2000);
   EXPECT_FALSE(file_exists(dir_.file("canary"))) << "a value was executed";
   if (!accepted_as_text(value)) {
      EXPECT_EQ(result.exit_code, 2) << result.err.substr(0, 2000);
      EXPECT_THAT(result.err, HasSubstr("dokploy-provider: DOKPLOY_PROJECT_NAME="));
      EXPECT_THAT(result.err, HasSubstr("dokploy-provider: DOKPLOY_ENVIRONMENT_NAME="));
      EXPECT_TRUE(emulator().api_requests().empty()) << "a refused value still led to requests";
      return;
   }
   ASSERT_EQ(result.exit_code, 0) << result.err.substr(0, 4000);
   const nlohmann::json state = emulator().state();
   int projects = 0, environments = 0;
   for (const auto& project : state["projects"]) projects += project["name"] == value;
   for (const auto& environment : state["environments"]) environments += environment["name"] == value;
   EXPECT_EQ(projects, 1) << "the project name did not reach Dokploy exactly";
   EXPECT_EQ(environments, 1) << "the environment name did not reach Dokploy exactly";
   expect_clean_workspace(value);
   EXPECT_TRUE(emulator().schema_errors().empty()) << emulator().schema_errors().front().dump();
}

TEST_P(CarriedNames, ProjectAndEnvironmentNamesReachDokployExactlyAndNotTheWorkspace) {
   for (const HostileValue& hostile : hostile_values_of(GetParam())) {
      SCOPED_TRACE(hostile.kind + "_" + hostile.name);
      emulator().reset();
      check_ProjectAndEnvironmentNamesReachDokployExactlyAndNotTheWorkspace(hostile);
   }
   EXPECT_GT(checked_, 0) << "instantiated for a kind none of whose values the check applies to";
}

void CarriedValues::check_ApiTokenIsSentOnlyAsTheHeaderAndNeverReachesTheWorkspace(const HostileValue& hostile) {
   if (!token_applies(hostile)) return;
   ++checked_;
   const std::string value = with_canary(hostile.value, dir_.file("canary"));
   // An API key is one word: with a space in it, it is refused before any request, unprinted.
   if (value.find(' ') != std::string::npos) {
      EnvMap env = environment("hostile-token", dir_.file("machine-" + hostile.name));
      env["DOKPLOY_API_TOKEN"] = value;
      const ProcessResult refused = run_provider({"create", "-v"}, env);
      EXPECT_EQ(refused.exit_code, 2) << refused.err.substr(0, 2000);
      EXPECT_THAT(refused.err, HasSubstr("DOKPLOY_API_TOKEN contains spaces or control characters"));
      EXPECT_EQ(refused.err.find(value), std::string::npos) << "the token was printed";
      EXPECT_TRUE(emulator().api_requests().empty()) << "a refused token still led to requests";
   }
   // The same hostile characters without the spaces are a valid key: carried only as the header.
   std::string word;
   for (char c : value)
      if (c != ' ') word += c;
   emulator().reset();
   emulator().control("POST", "/__emulator/tokens", {{"token", word}});
   EnvMap env = environment("hostile-token", dir_.file("machine-" + hostile.name));
   env["DOKPLOY_API_TOKEN"] = word;
   const ProcessResult result = run_provider({"create", "-v"}, env);
   EXPECT_FALSE(has_raw_control_bytes(result.err)) << result.err.substr(0, 2000);
   EXPECT_FALSE(file_exists(dir_.file("canary"))) << "a value was executed";
   EXPECT_EQ(result.err.find(word), std::string::npos) << "the token was printed";
   EXPECT_EQ(result.out.find(word), std::string::npos) << "the token was printed";
   // HTTP carries header values as bytes: non-ASCII ones may be refused by the server (401).
   bool ascii = true;
   for (char c : word) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
   if (ascii) {
      ASSERT_EQ(result.exit_code, 0) << result.err.substr(0, 4000);
      expect_clean_workspace(word);
   } else {
      EXPECT_TRUE(result.exit_code == 0 || result.exit_code == 1) << result.err.substr(0, 2000);
   }
}

TEST_P(CarriedToken, ApiTokenIsSentOnlyAsTheHeaderAndNeverReachesTheWorkspace) {
   for (const HostileValue& hostile : hostile_values_of(GetParam())) {
      SCOPED_TRACE(hostile.kind + "_" + hostile.name);
      emulator().reset();
      check_ApiTokenIsSentOnlyAsTheHeaderAndNeverReachesTheWorkspace(hostile);
   }
   EXPECT_GT(checked_, 0) << "instantiated for a kind none of whose values the check applies to";
}

void CarriedValues::check_MachineIdIsRefusedUnlessItIsDevPodsShapeAndNothingIsAsked(const HostileValue& hostile) {
   if (!env_capable(hostile)) return;
   ++checked_;
   const std::string value = with_canary(hostile.value, dir_.file("canary"));
   for (const bool flag : {false, true}) {
      EnvMap env = environment(value, dir_.file("machine-" + hostile.name));
      std::vector<std::string> args = {"status"};
      if (flag) {
         env.erase("MACHINE_ID");
         args = {"status", "--machine-id", value};
      }
      const ProcessResult result = run_provider(args, env);
      EXPECT_EQ(result.exit_code, 2) << result.err.substr(0, 2000);
      EXPECT_THAT(result.err, HasSubstr("is not a machine id: expected 1-48 characters of a-z, 0-9 and '-'"));
      EXPECT_FALSE(has_raw_control_bytes(result.err)) << result.err.substr(0, 2000);
      EXPECT_LT(result.err.size(), 4096u) << "the value was echoed whole";
   }
   EXPECT_TRUE(emulator().api_requests().empty()) << "a refused MACHINE_ID still led to requests";
   EXPECT_FALSE(file_exists(dir_.file("canary")));
}

TEST_P(CarriedMachineId, MachineIdIsRefusedUnlessItIsDevPodsShapeAndNothingIsAsked) {
   for (const HostileValue& hostile : hostile_values_of(GetParam())) {
      SCOPED_TRACE(hostile.kind + "_" + hostile.name);
      emulator().reset();
      check_MachineIdIsRefusedUnlessItIsDevPodsShapeAndNothingIsAsked(hostile);
   }
   EXPECT_GT(checked_, 0) << "instantiated for a kind none of whose values the check applies to";
}

void CarriedValues::check_MachineFolderIsUsedExactlyAsGivenOrRefused(const HostileValue& hostile) {
   if (!folder_applies(hostile)) return;
   ++checked_;
   const std::string value = with_canary(hostile.value, dir_.file("canary"));
   // The hostile text becomes one folder name inside the test's folder ('/' in it makes more).
   const std::string folder = dir_.file("folders") + "/" + value;
   const ProcessResult result = run_provider({"create"}, environment("hostile-folder", folder));
   EXPECT_FALSE(file_exists(dir_.file("canary"))) << "a value was executed";
   EXPECT_FALSE(has_raw_control_bytes(result.err)) << result.err.substr(0, 2000);
   if (result.exit_code == 2) {
      EXPECT_THAT(result.err, HasSubstr("MACHINE_FOLDER"));
      return;
   }
   ASSERT_EQ(result.exit_code, 0) << result.err.substr(0, 4000);
   struct stat info {};
   ASSERT_EQ(::stat(folder.c_str(), &info), 0) << "the machine folder is not where it was asked to be";
   EXPECT_EQ(info.st_mode & 07777, 0700u);
   for (const char* name : {"dokploy-provider-state.json", "id_ed25519", "ssh_host_ed25519_key"}) {
      ASSERT_EQ(::lstat((folder + "/" + name).c_str(), &info), 0) << name;
      EXPECT_TRUE(S_ISREG(info.st_mode)) << name;
      EXPECT_EQ(info.st_mode & 07777, 0600u) << name;
   }
}

TEST_P(CarriedMachineFolder, MachineFolderIsUsedExactlyAsGivenOrRefused) {
   for (const HostileValue& hostile : hostile_values_of(GetParam())) {
      SCOPED_TRACE(hostile.kind + "_" + hostile.name);
      emulator().reset();
      check_MachineFolderIsUsedExactlyAsGivenOrRefused(hostile);
   }
   EXPECT_GT(checked_, 0) << "instantiated for a kind none of whose values the check applies to";
}

INSTANTIATE_TEST_SUITE_P(Hostile, CarriedNames, ::testing::ValuesIn(hostile_kinds_where(env_capable)),
                         kind_name);
INSTANTIATE_TEST_SUITE_P(Hostile, CarriedToken, ::testing::ValuesIn(hostile_kinds_where(token_applies)),
                         kind_name);
INSTANTIATE_TEST_SUITE_P(Hostile, CarriedMachineId, ::testing::ValuesIn(hostile_kinds_where(env_capable)),
                         kind_name);
INSTANTIATE_TEST_SUITE_P(Hostile, CarriedMachineFolder,
                         ::testing::ValuesIn(hostile_kinds_where(folder_applies)), kind_name);

}  // namespace
}  // namespace dpp::test::hostile

// No API token, password or private key in any output of the provider: every verb of a lifecycle
// at the most verbose level (-vv), with DEVPOD_DEBUG=true, and as JSON log lines; every error,
// also when the server echoes the token back in its error bodies; and nothing secret but the
// workspace's own host key in what Dokploy stores (compose file, environment, command) or in
// any request body the provider sent.
#include <gmock/gmock.h>

#include <filesystem>
#include <memory>

#include "secrets_fixture.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::secrets {
namespace {

using ::testing::IsEmpty;

struct Logging {
   std::string name;
   std::vector<std::string> flags;
   std::map<std::string, std::string> env;
};

class SecretOutput : public ::testing::TestWithParam<std::tuple<std::string, Logging>> {
 protected:
   void SetUp() override {
      emulator().reset();
      emulator().clear_faults();
   }
   TempDir dir_{"dpp-secret-output"};
};

// Every run of a whole lifecycle at each level is scanned: its stdout and stderr, the argv of every
// process on the machine and the environment of every process it starts (sampled while it runs),
// and afterwards every file of the machine folder but the private ones.
TEST_P(SecretOutput, NoVerbPrintsASecretAtAnyLevelOrFormat) {
   const auto& [auth, logging] = GetParam();
   const std::string folder = dir_.file("machine");
   EnvMap env = machine_environment("secret-output", folder, auth);
   for (const auto& [name, value] : logging.env) env[name] = value;
   const std::string provider = std::filesystem::weakly_canonical(provider_path()).string();
   // The machine's secrets exist once `create` made them: a first watch knows the token only,
   // a second one (for the verbs after create) knows them all.
   SecretSet token_only;
   token_only.add("API token", emulator().token());
   SecretSet secrets;
   secrets.add("API token", emulator().token());
   auto watch = std::make_unique<ProcessSecretWatch>(
       token_only, WatchOptions{.parent_executable = provider, .ignore = {emulator().pid()}});
   std::vector<std::string> argv_findings;

   std::vector<std::pair<std::string, ProcessResult>> runs;
   for (const std::string verb : {"init", "doctor", "create", "status", "command", "stop", "start", "status", "delete"}) {
      std::vector<std::string> args = {verb};
      if (verb == "command") args.push_back("true");
      args.insert(args.end(), logging.flags.begin(), logging.flags.end());
      runs.emplace_back(verb, run_provider(args, env));
      if (verb == "create") {
         ASSERT_EQ(runs.back().second.exit_code, 0) << runs.back().second.err;
         add_machine_secrets(secrets, folder);
         // What the workspace legitimately holds (its host key) is not a leak in Dokploy's rows,
         // but it must never be printed either: it stays in `secrets`.
         for (auto& finding : watch->stop()) argv_findings.push_back(finding);
         watch = std::make_unique<ProcessSecretWatch>(
             secrets, WatchOptions{.parent_executable = provider, .ignore = {emulator().pid()}});
         EXPECT_THAT(findings_in_machine_folder(secrets, folder), IsEmpty());
      }
   }
   for (auto& finding : watch->stop()) argv_findings.push_back(finding);
   EXPECT_THAT(argv_findings, IsEmpty());
   EXPECT_GT(watch->samples(), 0);
   for (const auto& [verb, result] : runs) {
      EXPECT_THAT(findings_in(secrets, verb + " (" + logging.name + ")", result), IsEmpty());
      if (logging.name != "quiet") {
         EXPECT_FALSE(result.err.empty()) << verb << " logged nothing at " << logging.name;
      }
   }
   // After `delete`: whatever is left in the machine folder holds no secret either.
   EXPECT_THAT(findings_in_machine_folder(secrets, folder), IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(
    Levels, SecretOutput,
    ::testing::Combine(::testing::Values("key", "password"),
                       ::testing::Values(Logging{"quiet", {}, {}}, Logging{"trace", {"-vv"}, {}},
                                         Logging{"verbose", {"--verbose"}, {}},
                                         Logging{"devpod_debug", {}, {{"DEVPOD_DEBUG", "true"}}},
                                         Logging{"json", {"-vv", "--log-format", "json"}, {}})),
    [](const ::testing::TestParamInfo<std::tuple<std::string, Logging>>& test_info) {
       return std::get<0>(test_info.param) + "_" + std::get<1>(test_info.param).name;
    });

class StoredSecrets : public ::testing::TestWithParam<std::string> {
 protected:
   void SetUp() override {
      emulator().reset();
      emulator().clear_faults();
   }
   TempDir dir_{"dpp-secret-stored"};
};

TEST_P(StoredSecrets, DokployStoresNoTokenPasswordOrClientKeyAndRequestBodiesCarryNone) {
   const std::string& auth = GetParam();
   const std::string folder = dir_.file("machine");
   const ProcessResult created = run_provider({"create"}, machine_environment("secret-stored", folder, auth));
   ASSERT_EQ(created.exit_code, 0) << created.err;
   SecretSet secrets;
   secrets.add("API token", emulator().token());
   add_machine_secrets(secrets, folder, /*with_host_key=*/false);
   EXPECT_THAT(secrets.find_in("the emulator's rows (compose files, env, commands)", emulator().state().dump()), IsEmpty());
   EXPECT_THAT(secrets.find_in("the workspace specs", emulator().workspaces().dump()), IsEmpty());
   EXPECT_THAT(secrets.find_in("request bodies and queries", emulator().requests().dump()), IsEmpty());
   // The token travelled, as the x-api-key header, on every API request.
   const std::vector<nlohmann::json> requests = emulator().api_requests();
   EXPECT_FALSE(requests.empty());
   for (const auto& request : requests)
      if (request["procedure"] != "health") {
         EXPECT_TRUE(request["api_key_present"].get<bool>()) << request.dump();
      }
}

INSTANTIATE_TEST_SUITE_P(Auth, StoredSecrets, ::testing::Values("key", "password"),
                         [](const ::testing::TestParamInfo<std::string>& test_info) { return test_info.param; });

// A server (or a proxy) that echoes the request back in its errors: the provider's messages quote
// what it said, and must still not show the token.
struct Echo {
   std::string name;
   std::string procedure;
   nlohmann::json action;  // with @TOKEN@ where the server repeats the token
};

void PrintTo(const Echo& e, std::ostream* out) {
   *out << e.name;
}

nlohmann::json with_token(const nlohmann::json& value, const std::string& token) {
   if (value.is_string()) {
      std::string text = value.get<std::string>();
      for (std::size_t at = 0; (at = text.find("@TOKEN@", at)) != std::string::npos; at += token.size())
         text.replace(at, 7, token);
      return text;
   }
   if (value.is_object() || value.is_array()) {
      nlohmann::json out = value;
      for (auto& item : out) item = with_token(item, token);
      return out;
   }
   return value;
}

class EchoingServer : public ::testing::TestWithParam<Echo> {
 protected:
   void SetUp() override {
      emulator().reset();
      emulator().clear_faults();
   }
   void TearDown() override { emulator().clear_faults(); }
   TempDir dir_{"dpp-secret-echo"};
};

TEST_P(EchoingServer, ErrorsQuotingTheServerNeverShowTheToken) {
   const Echo& echo = GetParam();
   const std::string token = emulator().token();
   emulator().add_fault({{"procedure", echo.procedure}, {"match", "always"}, {"action", with_token(echo.action, token)}});
   EnvMap env = machine_environment("secret-echo", dir_.file("machine"), "key");
   env["DOKPLOY_HTTP_RETRIES"] = "1";
   SecretSet secrets;
   secrets.add("API token", token);
   for (const std::vector<std::string>& args :
        {std::vector<std::string>{"init", "-vv"}, {"status", "-vv"}, {"create", "-vv", "--log-format", "json"},
         {"delete"}}) {
      const ProcessResult result = run_provider(args, env);
      EXPECT_THAT(findings_in(secrets, args[0] + " against " + echo.name, result), IsEmpty()) << result.err;
   }
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(Echoes, EchoingServer, ::testing::Values(
    Echo{"json_500", "project.all", {{"status", 500}, {"body", {{"message", "invalid api key @TOKEN@"}, {"code", "INTERNAL_SERVER_ERROR"}}}}},
    Echo{"json_401", "project.all", {{"status", 401}, {"body", {{"message", "Unauthorized: x-api-key=@TOKEN@"}}}}},
    Echo{"json_403_code", "project.all", {{"status", 403}, {"body", {{"message", "denied"}, {"code", "@TOKEN@"}}}}},
    Echo{"json_400_issues", "compose.create", {{"status", 400}, {"body", {{"message", "Input validation failed"}, {"issues", {{{"path", {"@TOKEN@", 0}}, {"message", "bad @TOKEN@"}}}}}}}},
    Echo{"html_502", "project.all", {{"status", 502}, {"content_type", "text/html"}, {"body", "<html><body>upstream said x-api-key: @TOKEN@\r\n</body></html>"}}},
    Echo{"plain_404", "settings.getDokployVersion", {{"status", 404}, {"content_type", "text/plain"}, {"body", "no route for /api/settings.getDokployVersion?key=@TOKEN@"}}},
    Echo{"version_is_token", "settings.getDokployVersion", {{"status", 200}, {"content_type", "application/json"}, {"body", "\"@TOKEN@\""}}},
    Echo{"server_row_echo", "project.all", {{"status", 200}, {"body", {{{"projectId", "@TOKEN@"}, {"name", "@TOKEN@"}, {"environments", nlohmann::json::array()}}}}}}));
// clang-format on

}  // namespace
}  // namespace dpp::test::secrets

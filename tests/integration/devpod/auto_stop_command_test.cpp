// The auto-stop command of provider.yaml (agent.exec.shutdown) run the way DevPod's agent
// daemon runs it — one string through bash -c or sh -c with the provider's options in the
// environment — against the Dokploy emulator, with every external program it starts wrapped by
// a shim that records its argument list, so a token in an argv would be seen.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/child_process.hpp"
#include "support/devpod_provider.hpp"
#include "support/emulator.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::devpod {
namespace {

// Logs its name and arguments, one per line, then runs the real program.
const char* kShim = R"(#!/bin/sh
name=${0##*/}
{ printf '%s\n' "$name"; printf '%s\n' "$@"; printf '%s\n' '--'; } >> "$SHIM_LOG"
PATH=/usr/local/bin:/usr/bin:/bin exec "$name" "$@"
)";

class AutoStopCommand : public ::testing::Test {
 protected:
   static void SetUpTestSuite() { emulator = new Emulator(); }
   static void TearDownTestSuite() {
      delete emulator;
      emulator = nullptr;
   }

   void SetUp() override {
      const ProviderDefinition provider = ProviderDefinition::load(source_dir() + "/provider.yaml");
      ASSERT_TRUE(provider.agent.shutdown) << "provider.yaml has no agent.exec.shutdown";
      shutdown = *provider.agent.shutdown;
      const std::string shims = dir.path() + "/shims";
      std::filesystem::create_directories(shims);
      const std::string shim = dir.write("shim", kShim, 0755);
      for (const char* program : {"curl", "sed", "cat", "wget"})
         std::filesystem::create_symlink(shim, shims + "/" + program);
      emulator->clear_requests();
   }

   // The daemon's environment: the provider's options plus what DevPod adds, and our shims.
   EnvMap environment(const std::string& kind, const std::string& id, const std::string& token) {
      const std::string service_file = dir.write(
          "service.env", "DPP_DOKPLOY_SERVICE_KIND=" + kind + "\nDPP_DOKPLOY_SERVICE_ID=" + id + "\n", 0644);
      return {{"PATH", dir.path() + "/shims:/usr/bin:/bin"},
              {"HOME", dir.path()},
              {"SHIM_LOG", dir.file("argv.log")},
              {"DOKPLOY_SERVER_URL", emulator->url() + "/"},
              {"DOKPLOY_API_TOKEN", token},
              {"DOKPLOY_INACTIVITY_TIMEOUT", "30m"},
              {"DOKPLOY_TLS_INSECURE", "false"},
              {"DOKPLOY_CA_CERT", ""},
              {"MACHINE_ID", "auto-stop-test"},
              {"DPP_DOKPLOY_SERVICE_FILE", service_file}};
   }

   ProcessResult run(const std::string& shell, const EnvMap& env) {
      return run_process({.argv = {shell, "-c", shutdown}, .env = env}, std::chrono::minutes(2));
   }

   std::string seed(const std::string& kind) {
      const nlohmann::json made = emulator->control(
          "POST", "/__emulator/seed", {{"services", 1}, {"project", "auto-stop"}, {"kind", kind}});
      const auto& rows = made[kind == "compose" ? "compose" : "applications"];
      if (!rows.is_array() || rows.empty()) throw std::runtime_error("seed returned " + made.dump());
      const auto& row = rows[0];
      if (row.is_string()) return row.get<std::string>();
      return row.value(kind == "compose" ? "composeId" : "applicationId", "");
   }

   std::string argv_log() {
      return std::filesystem::exists(dir.file("argv.log")) ? dir.read("argv.log") : "";
   }

   static Emulator* emulator;
   TempDir dir{"dpp-auto-stop"};
   std::string shutdown;
};

Emulator* AutoStopCommand::emulator = nullptr;

}  // namespace

TEST_F(AutoStopCommand, StopsItsApplicationThroughTheApiUnderBashAndSh) {
   for (const char* shell : {"/bin/bash", "/bin/sh"}) {
      SCOPED_TRACE(shell);
      emulator->clear_requests();
      const std::string id = seed("application");
      const ProcessResult result = run(shell, environment("application", id, emulator->token()));
      EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
      EXPECT_NE(result.out.find("asked Dokploy to stop application " + id), std::string::npos) << result.out;
      const auto stops = emulator->api_requests("application.stop");
      ASSERT_EQ(stops.size(), 1u) << emulator->requests().dump(1);
      EXPECT_EQ(stops[0]["body"].value("applicationId", ""), id);
      EXPECT_TRUE(stops[0].value("api_key_present", false));
      EXPECT_EQ(stops[0].value("status", 0), 200);
      EXPECT_TRUE(emulator->schema_errors().empty()) << emulator->requests().dump(1);
      const std::string argv = argv_log();
      EXPECT_NE(argv.find("curl\n"), std::string::npos) << "the shim did not see curl:\n" << argv;
      EXPECT_EQ(argv.find(emulator->token()), std::string::npos) << "the token was in an argument list:\n"
                                                                 << argv;
   }
}

TEST_F(AutoStopCommand, AsksForTheComposeStopAndReportsDokployRefusingIt) {
   // A seeded compose service was never deployed: Dokploy answers compose.stop with 500.
   const std::string id = seed("compose");
   const ProcessResult result = run("/bin/sh", environment("compose", id, emulator->token()));
   EXPECT_NE(result.exit_code, 0);
   EXPECT_NE(result.err.find("compose.stop of " + id), std::string::npos) << result.err;
   EXPECT_NE(result.err.find("HTTP 500"), std::string::npos) << result.err;
   const auto stops = emulator->api_requests("compose.stop");
   ASSERT_EQ(stops.size(), 1u);
   EXPECT_EQ(stops[0]["body"].value("composeId", ""), id);
   EXPECT_EQ(argv_log().find(emulator->token()), std::string::npos);
}

TEST_F(AutoStopCommand, AWrongTokenIsReportedWithDokploysAnswer) {
   const std::string id = seed("application");
   const std::string wrong = random_hex(24);
   const ProcessResult result = run("/bin/sh", environment("application", id, wrong));
   EXPECT_NE(result.exit_code, 0);
   EXPECT_NE(result.err.find("HTTP 401"), std::string::npos) << result.err;
   EXPECT_EQ(argv_log().find(wrong), std::string::npos);
}

TEST_F(AutoStopCommand, AnEmptyInactivityTimeoutStopsNothing) {
   const std::string id = seed("application");
   EnvMap env = environment("application", id, emulator->token());
   env["DOKPLOY_INACTIVITY_TIMEOUT"] = "";
   const ProcessResult result = run("/bin/sh", env);
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_TRUE(emulator->api_requests().empty());
}

TEST_F(AutoStopCommand, AMissingServiceFileSaysWhatToDoAndCallsNothing) {
   EnvMap env = environment("application", "x", emulator->token());
   env["DPP_DOKPLOY_SERVICE_FILE"] = dir.file("missing.env");
   const ProcessResult result = run("/bin/sh", env);
   EXPECT_NE(result.exit_code, 0);
   EXPECT_NE(result.err.find("devpod stop"), std::string::npos) << result.err;
   EXPECT_TRUE(emulator->api_requests().empty());
}

TEST_F(AutoStopCommand, AServiceIdThatIsNotOneIsRefusedBeforeAnyRequest) {
   const ProcessResult result = run("/bin/sh", environment("application", "x\",\"y", emulator->token()));
   EXPECT_NE(result.exit_code, 0);
   EXPECT_TRUE(emulator->api_requests().empty());
}

}  // namespace dpp::test::devpod

// Misbehaving plugins are contained: the real dokploy-provider binary, given a plugin that throws
// through the C ABI, returns oversized, unterminated or non-UTF-8 strings, out-of-range enums,
// NULLs, error messages without a NUL or DPP_OK with garbage, exits with a code and one message
// that names the plugin's file — never a crash, never raw terminal control bytes, never a line of
// output the plugin forged.
#include <gmock/gmock.h>

#include <unistd.h>
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace dpp::test {
namespace {

using ::testing::HasSubstr;

const std::string kPlugin = DPP_HOSTILE_PLUGIN;

struct Case {
   std::string mode;              // DPP_HOSTILE_MODE
   std::string verb;              // what the provider runs
   int exit_code;                 // what it must exit with
   std::string says;              // a part of stderr (or stdout for `plugins`)
   bool names_file = true;        // the message names the plugin's file
};

void PrintTo(const Case& c, std::ostream* out) {
   *out << c.mode << " (" << c.verb << ")";
}

// A machine whose state file knows the endpoint, so that `command` goes straight to the plugins.
void write_state(const std::string& folder) {
   ::mkdir(folder.c_str(), 0700);
   std::ofstream(folder + "/dokploy-provider-state.json")
       << R"({"format": "dokploy-provider-machine-state", "version": 1, "machine_id": "m1",
              "backend": "test.hostile", "transport": "test.hostile", "auth": "test.hostile",
              "endpoint": {"host": "127.0.0.1", "port": 2222, "user": "devpod",
                           "host_key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINdamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea"},
              "plugins": {}})";
   ::chmod((folder + "/dokploy-provider-state.json").c_str(), 0600);
}

class HostilePlugin : public ::testing::Test {
 protected:
   EnvMap environment(const std::string& mode) const {
      EnvMap env;
      for (const auto& [name, value] : current_environment())
         if (name.rfind("DOKPLOY_", 0) != 0 && name.rfind("DEVPOD", 0) != 0 && name != "MACHINE_ID" &&
             name != "MACHINE_FOLDER" && name != "COMMAND")
            env[name] = value;
      env["DPP_HOSTILE_MODE"] = mode;
      env["DOKPLOY_BACKEND"] = kPlugin;
      env["DOKPLOY_SSH_TRANSPORT"] = kPlugin;
      env["DOKPLOY_SSH_AUTH"] = kPlugin;
      env["MACHINE_ID"] = "m1";
      env["MACHINE_FOLDER"] = machine_folder();
      return env;
   }
   std::string machine_folder() const { return dir_.file("m1"); }

   ProcessResult provider(const std::string& mode, const std::vector<std::string>& args) const {
      std::vector<std::string> argv = {provider_path()};
      argv.insert(argv.end(), args.begin(), args.end());
      return run_process({.argv = argv, .env = environment(mode)}, std::chrono::minutes(2));
   }

   // What every outcome must be: an exit, not a crash; no sanitizer report; no raw control byte
   // (terminal escapes, carriage returns) on either stream; no line the plugin forged; bounded.
   static void expect_contained(const ProcessResult& result) {
      EXPECT_EQ(result.signal, 0) << "killed by signal " << result.signal << "\n" << result.err;
      EXPECT_EQ(result.err.find("AddressSanitizer"), std::string::npos) << result.err;
      EXPECT_EQ(result.err.find("runtime error:"), std::string::npos) << result.err;
      EXPECT_EQ(result.err.find("terminate called"), std::string::npos) << result.err;
      for (const std::string* stream : {&result.out, &result.err}) {
         EXPECT_EQ(stream->find('\x1b'), std::string::npos) << "a raw ESC byte reached the output";
         EXPECT_EQ(stream->find('\r'), std::string::npos) << "a raw carriage return reached the output";
         EXPECT_EQ(stream->find('\a'), std::string::npos) << "a raw BEL byte reached the output";
         std::istringstream lines(*stream);
         for (std::string line; std::getline(lines, line);) {
            EXPECT_EQ(line.rfind("dokploy-provider: forged", 0), std::string::npos) << line;
            EXPECT_EQ(line.rfind("dokploy-provider: status succeeded", 0), std::string::npos) << line;
         }
      }
      EXPECT_LT(result.err.size(), 256u * 1024) << "stderr was flooded";
      EXPECT_LT(result.out.size(), 256u * 1024) << "stdout was flooded";
   }

   TempDir dir_{"dpp-hostile"};
};

class HostileCase : public HostilePlugin, public ::testing::WithParamInterface<Case> {};

TEST_P(HostileCase, IsContainedWithAnExitCodeAndAMessageNamingThePlugin) {
   const Case& c = GetParam();
   write_state(machine_folder());
   std::vector<std::string> args = {c.verb};
   if (c.verb == "command") args.push_back("true");
   const ProcessResult result = provider(c.mode, args);
   expect_contained(result);
   EXPECT_EQ(result.exit_code, c.exit_code) << result.out << result.err;
   const std::string& said = c.verb == "plugins" ? result.out : result.err;
   EXPECT_THAT(said, HasSubstr(c.says)) << result.err;
   if (c.names_file) {
      EXPECT_THAT(result.err, HasSubstr(kPlugin)) << "the message does not name the file";
   }
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(Backend, HostileCase, ::testing::Values(
    Case{"backend.status.throws-std", "status", 1, "backend status threw an exception (status blew up \\x1b[2J)"},
    Case{"backend.status.throws-int", "status", 1, "backend status threw an exception; plugins must not"},
    Case{"backend.status.state42", "status", 1, "status returned an unknown workspace state 42"},
    Case{"backend.status.state-negative", "status", 1, "unknown workspace state -7"},
    Case{"backend.status.unterminated-host", "status", 1, "status returned an unterminated string"},
    Case{"backend.status.unterminated-detail", "status", 1, "status returned an unterminated string"},
    Case{"backend.status.invalid-utf8", "status", 1, "status returned text that is not UTF-8"},
    Case{"backend.status.option-host", "status", 1, "which is not a host name or address"},
    Case{"backend.status.option-user", "status", 1, "which is not a user name"},
    Case{"backend.status.multiline-key", "status", 1, "a host key that is not one printable line"},
    Case{"backend.status.ok-garbage", "status", 1, "status returned an unterminated string"},
    Case{"backend.status.error-unterminated", "status", 1, "test.hostile: EEEEEEE\\xffEEE", false},
    Case{"backend.status.error-newline", "status", 1, "test.hostile: refused\n    dokploy-provider: status succeeded\\x0d\\x1b[1A", false},
    Case{"backend.status.positive-code", "status", 1, "test.hostile: status failed: unknown error", false},
    Case{"backend.status.unknown-negative", "status", 1, "test.hostile: a status from the future", false},
    Case{"backend.create.throws-int", "create", 1, "backend create threw an exception"},
    Case{"backend.create.throws-std", "create", 1, "backend create threw an exception (create blew up)"},
    Case{"backend.create.root-user", "create", 1, "the backend named root as the SSH user; dokploy-provider never logs in as root"},
    Case{"backend.create.root-user", "start", 1, "the backend named root as the SSH user; dokploy-provider never logs in as root"},
    Case{"backend.stop.throws", "stop", 1, "backend stop threw an exception (std::bad_alloc)"},
    Case{"backend.remove.throws", "delete", 1, "backend remove threw an exception"},
    Case{"backend.check.throws", "init", 1, "backend check threw an exception (check blew up)"},
    Case{"backend.factory.throws", "status", 1, "backend factory create threw an exception (factory blew up)"},
    Case{"backend.factory.null-object", "status", 1, "backend create returned no object"},
    Case{"backend.factory.error-unterminated", "status", 2, "test.hostile: EEEEEEE\\xffEEE", false}));

INSTANTIATE_TEST_SUITE_P(Auth, HostileCase, ::testing::Values(
    Case{"auth.prepare.throws", "command", 1, "auth prepare threw an exception (prepare blew up)"},
    Case{"auth.credentials.throws", "command", 1, "auth credentials threw an exception"},
    Case{"auth.credentials.kind7", "command", 1, "credentials of unknown kind 7"},
    Case{"auth.credentials.null-user", "command", 1, "credentials have no user"},
    Case{"auth.credentials.option-user", "command", 1, "which is not a plain user name"},
    Case{"auth.credentials.huge-user", "command", 1, "which is not a plain user name"},
    Case{"auth.credentials.null-password", "command", 1, "password credentials without a password"},
    Case{"auth.credentials.null-key-file", "command", 1, "private key credentials without an absolute key file path"},
    Case{"auth.workspace.throws", "create", 1, "auth workspace_auth threw an exception"},
    Case{"auth.workspace.null-host-key", "create", 1, "workspace_auth returned no user or no host key"},
    Case{"auth.workspace.root-user", "create", 1, "which is not a plain user name"},
    Case{"auth.workspace.multiline-key", "create", 1, "an authorized key that is not one printable line"},
    Case{"auth.workspace.huge-key", "create", 1, "a host public key that is not one printable line"},
    Case{"auth.workspace.private-key-shell", "create", 1, "a host private key that is not base64 on one line"}));

INSTANTIATE_TEST_SUITE_P(Transport, HostileCase, ::testing::Values(
    Case{"transport.run.throws", "command", 1, "transport run threw an exception (run blew up)"},
    Case{"transport.run.throws-int", "command", 1, "transport run threw an exception"},
    Case{"transport.run.error-unterminated", "command", 255, "EEEEEEE\\xffEEE", false},
    Case{"transport.run.exit-code-huge", "command", 1, "run reported the exit code 4242, outside 0-255"},
    Case{"transport.run.exit-code-negative", "command", 1, "run reported the exit code -1, outside 0-255"},
    Case{"transport.probe.throws", "create", 1, "transport probe threw an exception (probe blew up)"},
    Case{"transport.probe.error-unterminated", "create", 1, "EEEEEEE\\xffEEE", false}));

INSTANTIATE_TEST_SUITE_P(Library, HostileCase, ::testing::Values(
    Case{"init.error-unterminated", "status", 2, "init failed (DPP_E_CONFIG): EEEEEEE\\xffEEE"},
    Case{"get-factory.throws", "status", 2, "get_factory threw an exception; plugins must not"},
    Case{"entry.huge-id", "status", 2, "has an invalid id 'aaaa"},
    Case{"entry.null-id", "status", 2, "has an invalid id ''"},
    Case{"entry.escape-id", "status", 2, "has an invalid id 'test\\x1b[2J'"},
    Case{"option.null-name", "status", 2, "declares an option with an invalid name ''"},
    Case{"option.huge-name", "status", 2, "declares an option with an invalid name 'NNNN"},
    Case{"option.newline-default", "status", 2, "with a default that is not printable UTF-8 text"}));
// clang-format on

TEST_F(HostilePlugin, RootLoginNamedByTheBackendIsRefusedWhenCommandAsksWhereToConnect) {
   // A state file without an endpoint: `command` asks the backend where the workspace answers.
   ::mkdir(machine_folder().c_str(), 0700);
   std::ofstream(machine_folder() + "/dokploy-provider-state.json")
       << R"({"format": "dokploy-provider-machine-state", "version": 1, "machine_id": "m1", "plugins": {}})";
   ::chmod((machine_folder() + "/dokploy-provider-state.json").c_str(), 0600);
   const ProcessResult result = provider("backend.status.root-user", {"command", "true"});
   expect_contained(result);
   EXPECT_EQ(result.exit_code, 1) << result.err;
   EXPECT_THAT(result.err, HasSubstr("the backend named root as the SSH user")) << result.err;
   EXPECT_THAT(result.err, HasSubstr(kPlugin));
}

TEST_F(HostilePlugin, CreateThatNamesRootIsRolledBack) {
   const ProcessResult result = provider("backend.create.root-user", {"create"});
   EXPECT_EQ(result.exit_code, 1) << result.err;
   // The state keeps only the record of the failed create (what `command` explains), no machine.
   const ProcessResult status = provider("backend.create.root-user", {"status"});
   EXPECT_EQ(status.out, "NotFound\n") << "the refused machine was kept: " << status.err;
}

TEST_F(HostilePlugin, DetailWithTerminalEscapesAndLineBreaksIsLoggedEscaped) {
   write_state(machine_folder());
   const ProcessResult result = provider("backend.status.detail-escapes", {"status", "--verbose"});
   expect_contained(result);
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "Stopped\n");
   EXPECT_THAT(result.err, HasSubstr("backend says: \\x1b]0;pwned\\x07\\x1b[2Jstopped\\x0adokploy-provider: forged line"));
}

TEST_F(HostilePlugin, FloodOfHostileLogLinesAndStateWritesLeavesTheMachineFolderIntact) {
   write_state(machine_folder());
   const ProcessResult result = provider("backend.status.log-flood", {"status", "-vv"});
   expect_contained(result);
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "Stopped\n");
   EXPECT_THAT(result.err, HasSubstr("test.hostile: \\xff\\xfe\\x1b[2J"));
   std::ifstream state(machine_folder() + "/dokploy-provider-state.json");
   const std::string text((std::istreambuf_iterator<char>(state)), std::istreambuf_iterator<char>());
   EXPECT_EQ(text.find("\"big\""), std::string::npos) << "a 1 MiB state value was stored";
   EXPECT_EQ(text.find("bad-utf8"), std::string::npos);
   struct stat info {};
   EXPECT_NE(::stat(dir_.file("escape").c_str(), &info), 0) << "a machine file escaped its folder";
   EXPECT_NE(::stat((machine_folder() + "/big").c_str(), &info), 0) << "a 2 MiB machine file was written";
}

TEST_F(HostilePlugin, CheckReportsWithNullsFloodsAndEscapesArePrintedBoundedAndEscaped) {
   const ProcessResult result = provider("backend.check.hostile-report", {"init"});
   expect_contained(result);
   EXPECT_EQ(result.exit_code, 1) << result.err;
   EXPECT_THAT(result.err + result.out, HasSubstr("\\x1b[31mred\\x1b[0m\\x0dover\\x0aforged"));
}

TEST_F(HostilePlugin, DestroyThatThrowsIsReportedAndTheVerbStillSucceeds) {
   write_state(machine_folder());
   const ProcessResult result = provider("backend.destroy.throws", {"status"});
   expect_contained(result);
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "Stopped\n");
   EXPECT_THAT(result.err, HasSubstr("plugin " + kPlugin + ": backend destroy threw an exception"));
}

TEST_F(HostilePlugin, SignalNameWithControlBytesIsDroppedAndTheExitCodeKept) {
   write_state(machine_folder());
   const ProcessResult result = provider("transport.run.signal-garbage", {"command", "true"});
   expect_contained(result);
   EXPECT_EQ(result.exit_code, 137) << result.err;
}

TEST_F(HostilePlugin, InitThatLeavesGarbageInTheErrorRecordButSucceedsIsUsed) {
   write_state(machine_folder());
   const ProcessResult result = provider("init.ok-with-garbage", {"status"});
   expect_contained(result);
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "Stopped\n");
}

TEST_F(HostilePlugin, HugeAndEscapingEntryStringsAreListedBoundedAndEscaped) {
   EnvMap env = environment("entry.huge-strings");
   env["DOKPLOY_PLUGIN_PATH"] = kPlugin;
   const ProcessResult result = run_process({.argv = {provider_path(), "plugins"}, .env = env});
   expect_contained(result);
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_THAT(result.out, HasSubstr("test.hostile"));
   EXPECT_THAT(result.out, HasSubstr("\\xff\\xfe\\x1b[2J"));
   EXPECT_LT(result.out.size(), 64u * 1024);
}

TEST_F(HostilePlugin, OptionDescriptionWithEscapesIsListedEscaped) {
   EnvMap env = environment("option.escape-description");
   env["DOKPLOY_PLUGIN_PATH"] = kPlugin;
   const ProcessResult result = run_process({.argv = {provider_path(), "plugins"}, .env = env});
   expect_contained(result);
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_THAT(result.out, HasSubstr("HOSTILE_LEVEL"));
}

TEST_F(HostilePlugin, CancelThatThrowsFromTheSignalHandlerStillEndsTheCommandAsCancelled) {
   write_state(machine_folder());
   TempDir logs("dpp-hostile-log");
   EnvMap env = environment("transport.run.cancel-throws");
   env["DPP_HOSTILE_READY_FILE"] = logs.file("running");
   ChildProcess child({.argv = {provider_path(), "command", "true"}, .env = env}, logs.file("provider.log"));
   // The plugin waits for the cancellation once it runs; SIGINT as DevPod sends it (its handler
   // calls cancel()).
   while (::access(logs.file("running").c_str(), F_OK) != 0)
      ASSERT_FALSE(child.wait_for(std::chrono::milliseconds(20)).has_value())
          << "the provider ended before the transport ran:\n" << logs.read("provider.log");
   ::kill(child.pid(), SIGINT);
   const std::optional<int> code = child.wait_for(std::chrono::seconds(60));
   ASSERT_TRUE(code.has_value()) << "still running after SIGINT";
   EXPECT_EQ(*code, 130) << logs.read("provider.log");
   EXPECT_EQ(logs.read("provider.log").find("terminate called"), std::string::npos);
}

}  // namespace
}  // namespace dpp::test

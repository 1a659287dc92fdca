// DevPod's COMMAND reaches the remote `sh` byte for byte, through both transports and both auth
// strategies, against a real OpenSSH sshd: payloads of every hostile class come back exactly, and
// scripts full of quotes, substitutions, backslashes and here-documents print what a local `sh -c`
// prints. The machine's credentials are made by the real auth plugins in a MACHINE_FOLDER whose
// path itself is hostile (spaces, quotes, `$(…)`).
#include <gtest/gtest.h>

#include <fstream>
#include <memory>

#include "hostile_fixture.hpp"
#include "support/sshd_server.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::hostile {
namespace {

const std::string kHostile = DPP_HOSTILE_PLUGIN;  // a backend that "runs" it, a probe that answers

struct Route {
   std::string transport;  // libssh2 | system
   std::string auth;       // key | password
};

void PrintTo(const Route& s, std::ostream* out) {
   *out << s.transport << "/" << s.auth;
}

std::string read_file(const std::string& path) {
   std::ifstream in(path, std::ios::binary);
   return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string sh_quote(const std::string& text) {
   std::string out = "'";
   for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
   return out + "'";
}

bool plugin_built(const std::string& file) {
   return file_exists(plugin_dir() + "/" + file);
}

class CommandBytes : public ::testing::TestWithParam<Route> {
 protected:
   void SetUp() override {
      if (auto why = SshdServer::unavailable()) DPP_SKIP(*why);
      const Route& combination = GetParam();
      for (const std::string& file : std::vector<std::string>{"dpp-" + combination.transport + ".so",
                                                              "dpp-" + combination.auth + ".so"})
         if (!plugin_built(file)) DPP_SKIP(file + " is not built");
      if (combination.auth == "password" && !SshdServer::can_use_passwords())
         DPP_SKIP("password logins need root (sshd must switch to a test user)");

      // A hostile but usable machine folder: spaces, quotes, `$(…)`, '%' (ssh expands %-tokens).
      folder_ = dir_.file("machine folder/it's \"$(touch " + dir_.file("canary") + ")\" 100%");
      const std::string user = running_as_root() ? "devpod" : login_name();
      // `create` through a backend that reports 127.0.0.1:2222 and a probe that always answers:
      // what matters here is that the real auth plugin makes this machine's credentials.
      EnvMap env = base_environment();
      env["DOKPLOY_BACKEND"] = kHostile;
      env["DOKPLOY_SSH_TRANSPORT"] = kHostile;
      env["DOKPLOY_SSH_USER"] = user;
      const ProcessResult created = run_provider({"create"}, env);
      ASSERT_EQ(created.exit_code, 0) << created.err;

      SshdOptions options;
      options.user = user;
      options.host_key_file = folder_ + "/ssh_host_ed25519_key";
      if (combination.auth == "key") {
         options.authorized_keys = {read_file(folder_ + "/id_ed25519.pub")};
      } else {
         std::string hash = read_file(folder_ + "/ssh-password.sha512");
         while (!hash.empty() && hash.back() == '\n') hash.pop_back();
         options.password_hash = hash;
         options.password_authentication = true;
         options.pubkey_authentication = false;
      }
      sshd_ = std::make_unique<SshdServer>(options);

      // Point the machine at the real sshd (the pinned host key is the machine's own already).
      const std::string state_file = folder_ + "/dokploy-provider-state.json";
      nlohmann::json state = nlohmann::json::parse(read_file(state_file));
      state["endpoint"]["host"] = "127.0.0.1";
      state["endpoint"]["port"] = sshd_->port();
      std::ofstream(state_file, std::ios::trunc) << state.dump(2);
   }

   void TearDown() override {
      if (sshd_) sshd_->stop();
      EXPECT_FALSE(file_exists(dir_.file("canary"))) << "a value was executed";
   }

   static std::string login_name() {
      const char* user = std::getenv("USER");
      return user ? user : "root";
   }

   EnvMap base_environment() const {
      EnvMap env = clean_environment();
      env["DOKPLOY_SSH_AUTH"] = GetParam().auth;
      env["MACHINE_ID"] = "hostile-command";
      env["MACHINE_FOLDER"] = folder_;
      return env;
   }

   // Runs `script` as DevPod does (COMMAND in the environment, stdin joined).
   ProcessResult command(const std::string& script, const std::string& input = "") const {
      EnvMap env = base_environment();
      env["DOKPLOY_SSH_TRANSPORT"] = GetParam().transport;
      env["COMMAND"] = script;
      return run_provider({"command"}, env, input);
   }

   TempDir dir_{"dpp-hostile-command"};
   std::string folder_;
   std::unique_ptr<SshdServer> sshd_;
};

TEST_P(CommandBytes, EveryHostilePayloadComesBackExactly) {
   for (const auto& hostile : hostile_values()) {
      if (!hostile.env_capable) continue;  // COMMAND comes through the environment
      const std::string payload = with_canary(hostile.value, dir_.file("canary"));
      const std::string script = "printf '%s' " + sh_quote(payload);
      const ProcessResult result = command(script);
      EXPECT_EQ(result.exit_code, 0) << hostile.name << ": " << result.err.substr(0, 2000);
      EXPECT_TRUE(result.out == payload)
          << hostile.name << ": got " << result.out.size() << " bytes for " << payload.size();
   }
}

TEST_P(CommandBytes, ScriptsPrintWhatALocalShPrints) {
   const std::vector<std::string> scripts = {
       "echo \"$((6*7))\" 'single' `echo back` $(echo dollar) ${DPP_UNSET_VARIABLE:-default} # comment\n"
       "printf '%s|' \"a  b\" 'c\\d' \\!bang \"\\$HOME\" '${x}'\n",
       "set -e\nfor word in 'it'\"'\"'s' \"tab\tin\" '%s%%'; do printf '[%s]' \"$word\"; done\n",
       "cat <<'EOF'\n$HOME `x` 'y' \"z\" \\ ! %\nEOF\ncat <<EOF\n$((1+2)) \\$literal\nEOF\n",
       "-n() { echo dash-function; }; printf '%s\\n' -n",
       "printf '%s' \"${b-unset}\"",  // the transport's own helpers must not leak into the script
       "printf 'no trailing newline'",
       "printf x\\\n",  // a line continuation at the very end
       "printf '\\001\\033[2J\\177\\377' | od -An -c",
       "exit 42",
   };
   for (const auto& script : scripts) {
      const ProcessResult local =
          run_process({.argv = {"/bin/sh", "-c", script}, .env = EnvMap{{"PATH", "/usr/bin:/bin"}}});
      const ProcessResult remote = command(script);
      EXPECT_EQ(remote.exit_code, local.exit_code) << script << "\n" << remote.err.substr(0, 2000);
      EXPECT_EQ(remote.out, local.out) << "for the script:\n" << script;
   }
}

TEST_P(CommandBytes, HostileBytesOnStdinArriveExactly) {
   std::string input;
   for (int i = 0; i < 256; ++i) input += static_cast<char>(i);
   input += with_canary("$(touch @CANARY@) `touch @CANARY@` '\"\n", dir_.file("canary"));
   const ProcessResult result = command("cat", input);
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_TRUE(result.out == input) << "stdin came back as " << result.out.size() << " bytes";
}

// A script of `bytes` with the density of quotes and newlines of DevPod's agent scripts, and what
// it prints.
std::pair<std::string, std::string> realistic_script(std::size_t bytes) {
   std::string script;
   std::string expected;
   for (int line = 0; script.size() < bytes; ++line) {
      const std::string text = "line " + std::to_string(line) + ": it's \"quoted\" $HOME `x` \\ ! % {}";
      script += "printf '%s\\n' " + sh_quote(text) + "\n";
      expected += text + "\n";
   }
   return {script, expected};
}

TEST_P(CommandBytes, LargeRealisticScriptRunsExactly) {
   // Small enough for the "exec" request of both transports once encoded.
   const auto [script, expected] = realistic_script(8 * 1024);
   const ProcessResult result = command(script);
   EXPECT_EQ(result.exit_code, 0) << result.err.substr(0, 2000);
   EXPECT_TRUE(result.out == expected) << "got " << result.out.size() << " bytes for " << expected.size();
}

// Larger scripts travel on stdin ahead of the caller's data (plugins/common/ssh_launch.hpp). The
// largest COMMAND DevPod can pass is what Linux takes in one environment string (128 KiB).
TEST_P(CommandBytes, ScriptsUpToTheEnvironmentsLimitRunExactlyAndStdinFollows) {
   std::string input;
   for (int i = 0; i < 256; ++i) input += static_cast<char>(i);
   for (const std::size_t bytes : {std::size_t{64} * 1024, std::size_t{127} * 1024}) {
      const auto [script, expected] = realistic_script(bytes);
      SCOPED_TRACE(std::to_string(script.size()) + " bytes");
      const ProcessResult result = command(script + "cat\n", input);
      EXPECT_EQ(result.exit_code, 0) << result.err.substr(0, 2000);
      EXPECT_TRUE(result.out == expected + input)
          << "got " << result.out.size() << " bytes for " << expected.size() + input.size();
   }
}

INSTANTIATE_TEST_SUITE_P(Transports, CommandBytes,
                         ::testing::Values(Route{"libssh2", "key"}, Route{"system", "key"},
                                           Route{"libssh2", "password"}, Route{"system", "password"}),
                         [](const ::testing::TestParamInfo<Route>& test_info) {
                            return test_info.param.transport + "_" + test_info.param.auth;
                         });

}  // namespace
}  // namespace dpp::test::hostile

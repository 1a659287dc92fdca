// DevPod's COMMAND must reach `sh` untouched whatever the user's login shell is: the transports
// against a real sshd whose user logs in with sh, bash, zsh, fish or tcsh.
#include <gtest/gtest.h>
#include <unistd.h>

#include <memory>

#include "large_command.hpp"
#include "support/sshd_server.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"
#include "test_credentials.hpp"
#include "transport_harness.hpp"

namespace dpp::test {
namespace {

struct ShellParam {
   std::string transport;
   std::string shell;
};

class LoginShellTest : public ::testing::TestWithParam<ShellParam> {
 protected:
   void SetUp() override {
      const ShellParam& param = GetParam();
      if (auto reason = SshdServer::unavailable()) DPP_SKIP("no sshd: " + *reason);
      if (!running_as_root()) DPP_SKIP("choosing the login shell of the test user needs root");
      if (::access(param.shell.c_str(), X_OK) != 0) DPP_SKIP(param.shell + " is not installed");
      dir_ = std::make_unique<TempDir>("dpp-shell");
      key_ = make_key_pair(*dir_, "id_ed25519");
      SshdOptions options;
      options.login_shell = param.shell;
      options.authorized_keys = {key_.public_line};
      sshd_ = std::make_unique<SshdServer>(options);
      transport_ = std::make_unique<LoadedTransport>(param.transport);
      ASSERT_TRUE(transport_->created()) << transport_->create_message();
      target_.port = static_cast<uint16_t>(sshd_->port());
      target_.host_key = sshd_->host_public_key();
      target_.login.user = sshd_->user();
      target_.login.private_key_file = key_.private_file;
      target_.login.public_key_file = key_.public_file;
   }

   std::unique_ptr<TempDir> dir_;
   TestKeyPair key_;
   std::unique_ptr<SshdServer> sshd_;
   std::unique_ptr<LoadedTransport> transport_;
   TargetSpec target_;
};

// Quotes of every kind, backslashes, '!', '$', newlines: what each login shell would misread.
std::string script_and_expectation(std::string& expected) {
   std::string body;
   for (int i = 0; i < 150; ++i)
      body +=
          "row " + std::to_string(i) + ": it's \"q\" \\ \\\\ !! !$ $HOME `id` %s %% 'a'\\''b' \t{x} ~ # ;\n";
   expected = body + "sh says: it's \\ ! $0=sh\n";
   return "cat <<'EOF'\n" + body + "EOF\nprintf '%s\\n' \"sh says: it's \\\\ ! \\$0=$0\"\n";
}

TEST_P(LoginShellTest, CommandReachesShUntouched) {
   std::string expected;
   const RunOutcome run = transport_->run(target_, script_and_expectation(expected));
   ASSERT_EQ(run.status, DPP_OK) << run.message;
   EXPECT_EQ(run.err, "");
   EXPECT_EQ(run.exit_code, 0);
   EXPECT_EQ(run.out, expected);
   // A short, quote-free command goes through the login shell as it is.
   const RunOutcome plain = transport_->run(target_, "echo plain; exit 3");
   ASSERT_EQ(plain.status, DPP_OK) << plain.message;
   EXPECT_EQ(plain.out, "plain\n");
   EXPECT_EQ(plain.exit_code, 3);
}

// Past what the "exec" request can carry, the script travels over stdin ahead of the caller's
// data, read by a loader every login shell must pass to sh untouched.
TEST_P(LoginShellTest, TwoHundredKibibyteCommandReachesShUntouchedAndLeavesStdinToIt) {
   for (const bool tricky : {false, true}) {
      const LargeCommand command = make_large_command(200 * 1024, tricky, 11);
      SCOPED_TRACE(tricky ? "tricky" : "plain");
      const RunOutcome run = transport_->run(target_, command.script, command.input);
      ASSERT_EQ(run.status, DPP_OK) << run.message;
      EXPECT_EQ(run.err, "");
      EXPECT_EQ(run.exit_code, command.exit_code);
      EXPECT_TRUE(run.out == command.expected)
          << "output differs; got " << run.out.size() << " bytes, want " << command.expected.size();
   }
}

std::string shell_param_name(const ::testing::TestParamInfo<ShellParam>& info) {
   std::string shell = info.param.shell.substr(info.param.shell.rfind('/') + 1);
   return info.param.transport + "_" + shell;
}

std::vector<ShellParam> shell_params() {
   std::vector<ShellParam> params;
   for (const char* transport : {"libssh2", "system"})
      for (const char* shell : {"/bin/sh", "/bin/bash", "/usr/bin/zsh", "/usr/bin/fish", "/usr/bin/tcsh"})
         params.push_back({transport, shell});
   return params;
}

INSTANTIATE_TEST_SUITE_P(Shells, LoginShellTest, ::testing::ValuesIn(shell_params()), shell_param_name);

}  // namespace
}  // namespace dpp::test

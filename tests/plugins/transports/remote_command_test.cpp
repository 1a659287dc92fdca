// The login-shell-proof wrapping of remote commands: what the encoder emits, and that every
// installed login shell hands the script to sh byte for byte.
#include <gtest/gtest.h>
#include <unistd.h>

#include "common/ssh_remote_command.hpp"
#include "support/child_process.hpp"
#include "support/test_paths.hpp"

namespace dpp::plugins {
namespace {

// The part between `exec sh -c '` and the final `'`.
std::string inner(const std::string& remote) {
   const std::string prefix = "exec sh -c '";
   EXPECT_EQ(remote.rfind(prefix, 0), 0u) << remote.substr(0, 40);
   EXPECT_EQ(remote.back(), '\'');
   return remote.substr(prefix.size(), remote.size() - prefix.size() - 1);
}

std::string tricky() {
   std::string script;
   for (int i = 0; i < 40; ++i)
      script += "echo \"it's $((i=" + std::to_string(i) + ")) \\\\ ! \\\"x\\\" 100% `echo bq` é\"\n";
   script += "printf '%s|%s\\n' 'a'\"'\"'b' \"\\$0=$0\"\nprintf '%s\\n' -x\nexit 5\n";
   return script;
}

TEST(RemoteCommand, QuoteSafeScriptIsSentAsItIs) {
   EXPECT_EQ(ssh_remote_command("echo hi; exit 3"), "exec sh -c 'echo hi; exit 3'");
   EXPECT_TRUE(ssh_script_is_quote_safe("a \"b\" $c `d` % & | ; < > ( ) { } [ ] * ? ~ # ^"));
}

TEST(RemoteCommand, QuotesBackslashesBangsAndNewlinesAreEncoded) {
   for (const char* script : {"it's", "a\\b", "echo hi!", "a\nb", "tab\there", "caf\xc3\xa9", "\x7f"})
      EXPECT_FALSE(ssh_script_is_quote_safe(script)) << script;
}

TEST(RemoteCommand, EncodedScriptHoldsNothingALoginShellInterprets) {
   const std::string code = inner(ssh_remote_command(tricky()));
   for (char c : code) {
      const auto byte = static_cast<unsigned char>(c);
      EXPECT_TRUE(byte >= 0x20 && byte < 0x7f) << "control or non-ASCII byte " << int(byte);
      EXPECT_NE(c, '\'');
      EXPECT_NE(c, '\\');
      EXPECT_NE(c, '!');
   }
}

TEST(RemoteCommand, EncodedFormatNeverStartsWithADash) {
   const std::string code = ssh_encode_script("-n 'x'");
   const std::string marker = "printf \"";
   const auto at = code.rfind(marker);
   ASSERT_NE(at, std::string::npos);
   EXPECT_NE(code[at + marker.size()], '-') << code;
}

TEST(RemoteCommand, ShSingleQuotingRoundTrips) {
   EXPECT_EQ(sh_single_quote("it's"), "'it'\\''s'");
   EXPECT_EQ(sh_single_quote(""), "''");
}

class RemoteCommandShellTest : public ::testing::TestWithParam<std::string> {};

// sshd runs `<login shell> -c <command string>`; so does this test, locally.
test::ProcessResult run_like_sshd(const std::string& shell, const std::string& remote) {
   test::ProcessOptions options;
   options.argv = {shell, "-c", remote};
   options.env = test::EnvMap{{"PATH", "/usr/bin:/bin"}, {"HOME", "/tmp"}, {"LANG", "C.UTF-8"}};
   return test::run_process(options, std::chrono::seconds(60));
}

TEST_P(RemoteCommandShellTest, ScriptReachesShByteForByte) {
   const std::string shell = GetParam();
   if (::access(shell.c_str(), X_OK) != 0) DPP_SKIP(shell + " is not installed");
   const std::string script = tricky();
   test::ProcessOptions reference_options;
   reference_options.argv = {"/bin/sh", "-c", script, "sh"};
   reference_options.env = test::EnvMap{{"PATH", "/usr/bin:/bin"}, {"HOME", "/tmp"}, {"LANG", "C.UTF-8"}};
   const test::ProcessResult reference = test::run_process(reference_options);
   const test::ProcessResult wrapped = run_like_sshd(shell, ssh_remote_command(script));
   EXPECT_EQ(wrapped.out, reference.out);
   EXPECT_EQ(wrapped.err, reference.err);
   EXPECT_EQ(wrapped.exit_code, 5);
   const test::ProcessResult reporting = run_like_sshd(shell, ssh_remote_command_reporting_signals(script));
   EXPECT_EQ(reporting.out, reference.out);
   EXPECT_EQ(reporting.exit_code, 5);
}

TEST_P(RemoteCommandShellTest, SignalReportingWrapperExitsWith128PlusTheSignal) {
   const std::string shell = GetParam();
   if (::access(shell.c_str(), X_OK) != 0) DPP_SKIP(shell + " is not installed");
   const test::ProcessResult run =
       run_like_sshd(shell, ssh_remote_command_reporting_signals("kill -TERM $$"));
   EXPECT_EQ(run.exit_code, 128 + 15);
   EXPECT_EQ(run.signal, 0) << "the wrapper itself must exit normally";
}

std::string shell_name(const ::testing::TestParamInfo<std::string>& shell) {
   return shell.param.substr(shell.param.rfind('/') + 1);
}

INSTANTIATE_TEST_SUITE_P(LoginShells, RemoteCommandShellTest,
                         ::testing::Values("/bin/sh", "/bin/dash", "/bin/bash", "/usr/bin/zsh",
                                           "/usr/bin/fish", "/usr/bin/tcsh", "/bin/csh"),
                         shell_name);

}  // namespace
}  // namespace dpp::plugins

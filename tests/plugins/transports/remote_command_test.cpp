// The login-shell-proof wrapping of remote commands: what the encoder emits, when a script goes
// through the stdin loader instead, and that every installed login shell hands the script to sh
// byte for byte either way.
#include <gtest/gtest.h>
#include <unistd.h>

#include "common/ssh_launch.hpp"
#include "common/ssh_remote_command.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"
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

// A quote-safe script whose direct exec command is `length` bytes long.
std::string script_with_exec_length(std::size_t length) {
   const std::size_t wrapper = ssh_remote_command("").size();
   return "echo " + std::string(length - wrapper - 5, 'x');
}

TEST(SshLaunch, ScriptsThatFitTheExecRequestGoThereWithNothingOnStdin) {
   const SshLaunch small = ssh_launch("echo hi", SignalReport::exit_signal);
   EXPECT_EQ(small.exec_command, ssh_remote_command("echo hi"));
   EXPECT_EQ(small.stdin_prefix, "");
   const std::string largest = script_with_exec_length(kMaxExecCommand);
   const SshLaunch fits = ssh_launch(largest, SignalReport::exit_signal);
   EXPECT_EQ(fits.exec_command.size(), kMaxExecCommand);
   EXPECT_EQ(fits.stdin_prefix, "");
   EXPECT_EQ(ssh_launch("echo hi", SignalReport::exit_status).exec_command,
             ssh_remote_command_reporting_signals("echo hi"));
}

TEST(SshLaunch, LongerScriptsTravelOnStdinBehindAShortQuoteSafeLoader) {
   const std::string one_more = script_with_exec_length(kMaxExecCommand + 1);
   for (const SignalReport signals : {SignalReport::exit_signal, SignalReport::exit_status}) {
      for (const std::string& script : {one_more, std::string(300 * 1024, '\'')}) {
         const SshLaunch launch = ssh_launch(script, signals);
         EXPECT_EQ(launch.stdin_prefix, script);
         EXPECT_LT(launch.exec_command.size(), 1024u);
      }
   }
   const std::string loader = ssh_stdin_loader(300 * 1024);
   EXPECT_TRUE(ssh_script_is_quote_safe(loader)) << loader;
   EXPECT_NE(loader.find(std::to_string(300 * 1024)), std::string::npos);
   EXPECT_EQ(ssh_launch(one_more, SignalReport::exit_signal).exec_command,
             ssh_remote_command(ssh_stdin_loader(one_more.size())));
}

class RemoteCommandShellTest : public ::testing::TestWithParam<std::string> {};

// sshd runs `<login shell> -c <command string>`; so does this test, locally.
test::ProcessResult run_like_sshd(const std::string& shell, const std::string& remote,
                                  const std::string& input = "") {
   test::ProcessOptions options;
   options.argv = {shell, "-c", remote};
   options.stdin_data = input;
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

// What comes after the script on stdin, every byte value but in no order a shell would like.
std::string stdin_after_script() {
   std::string data;
   for (int round = 0; round < 300; ++round)
      for (int c = 0; c < 256; ++c) data += static_cast<char>((c * 7 + round) & 0xff);
   return data;
}

TEST_P(RemoteCommandShellTest, LargeScriptReachesShByteForByteAndLeavesStdinToIt) {
   const std::string shell = GetParam();
   if (::access(shell.c_str(), X_OK) != 0) DPP_SKIP(shell + " is not installed");
   // A 200 KiB script: tricky(), a here-document of its lines over and over, a copy of stdin,
   // and a line continuation at the end that needs the script's final newline.
   std::string script = tricky().substr(0, tricky().rfind("exit 5")) + "cat <<'DPP_END'\n";
   while (script.size() < 200 * 1024) script += tricky();
   script += "DPP_END\ncat\nprintf '%s|' continued \\\n";
   const std::string input = stdin_after_script();
   // The reference: sh evals the script read from a file, with only the input on stdin.
   const test::TempDir dir("dpp-loader");
   test::ProcessOptions reference_options;
   reference_options.argv = {"/bin/sh", "-c", "s=$(cat \"$1\"; echo .); set --; eval \"${s%.}\"", "sh",
                             dir.write("script", script)};
   reference_options.stdin_data = input;
   reference_options.env = test::EnvMap{{"PATH", "/usr/bin:/bin"}, {"HOME", "/tmp"}, {"LANG", "C.UTF-8"}};
   const test::ProcessResult reference = test::run_process(reference_options);
   ASSERT_EQ(reference.exit_code, 0) << reference.err;
   ASSERT_NE(reference.out.find(input + "continued|"), std::string::npos);
   for (const SignalReport signals : {SignalReport::exit_signal, SignalReport::exit_status}) {
      const SshLaunch launch = ssh_launch(script, signals);
      ASSERT_EQ(launch.stdin_prefix, script);
      const test::ProcessResult run = run_like_sshd(shell, launch.exec_command, launch.stdin_prefix + input);
      EXPECT_TRUE(run.out == reference.out)
          << "got " << run.out.size() << " bytes, want " << reference.out.size();
      EXPECT_EQ(run.err, reference.err);
      EXPECT_EQ(run.exit_code, 0);
   }
}

TEST_P(RemoteCommandShellTest, LoadedScriptKeepsItsExitCodeAndSignals) {
   const std::string shell = GetParam();
   if (::access(shell.c_str(), X_OK) != 0) DPP_SKIP(shell + " is not installed");
   const std::string padding = "# " + std::string(40 * 1024, '-') + "\n";
   const test::ProcessResult exited = run_like_sshd(
       shell, ssh_launch(padding + "exit 5\n", SignalReport::exit_signal).exec_command, padding + "exit 5\n");
   EXPECT_EQ(exited.exit_code, 5);
   const std::string killer = padding + "kill -TERM $$\n";
   const test::ProcessResult killed =
       run_like_sshd(shell, ssh_launch(killer, SignalReport::exit_signal).exec_command, killer);
   EXPECT_EQ(killed.signal, 15) << "sshd must see the script's own death (exit-signal)";
   const test::ProcessResult reported =
       run_like_sshd(shell, ssh_launch(killer, SignalReport::exit_status).exec_command, killer);
   EXPECT_EQ(reported.exit_code, 128 + 15);
   EXPECT_EQ(reported.signal, 0) << "the wrapper itself must exit normally";
}

TEST_P(RemoteCommandShellTest, StdinEndingBeforeTheScriptIsNamedAndNothingRuns) {
   const std::string shell = GetParam();
   if (::access(shell.c_str(), X_OK) != 0) DPP_SKIP(shell + " is not installed");
   const std::string script = "echo ran\n# " + std::string(40 * 1024, '-') + "\n";
   const test::ProcessResult run = run_like_sshd(
       shell, ssh_launch(script, SignalReport::exit_status).exec_command, script.substr(0, 1000));
   EXPECT_EQ(run.out, "");
   EXPECT_EQ(run.exit_code, 127);
   EXPECT_NE(run.err.find("stdin ended " + std::to_string(script.size() - 1000) +
                          " bytes before the end of the command"),
             std::string::npos)
       << run.err;
}

// Runs the loader for a 100 KiB script that prints a here-document and then its stdin, with `sh`
// and PATH as given, and checks that the output is exact.
void expect_loader_exact_with(const std::string& sh, const std::string& path) {
   const std::string literal = tricky() + std::string(100 * 1024, '#') + "\n";
   const std::string script = "cat <<'DPP_END'\n" + literal + "DPP_END\ncat\nexit 5\n";
   const std::string input = stdin_after_script();
   test::ProcessOptions options;
   options.argv = {sh, "-c", ssh_launch(script, SignalReport::exit_signal).exec_command};
   options.env = test::EnvMap{{"PATH", path}};
   options.stdin_data = script + input;
   const test::ProcessResult run = test::run_process(options);
   EXPECT_EQ(run.err, "");
   EXPECT_EQ(run.exit_code, 5);
   EXPECT_TRUE(run.out == literal + input) << "got " << run.out.size() << " bytes";
}

// Alpine-like workspaces: busybox is sh, dd and wc there (its `head -c` would read ahead of what
// it prints, which is why the loader uses dd).
TEST(SshLaunch, LoaderWorksWithBusyboxAsShDdAndWc) {
   const std::string busybox = "/usr/bin/busybox";
   if (::access(busybox.c_str(), X_OK) != 0) DPP_SKIP("busybox is not installed (Debian package busybox)");
   const test::TempDir dir("dpp-busybox");
   for (const char* applet : {"sh", "dd", "wc", "printf", "cat", "echo"})
      ASSERT_EQ(::symlink(busybox.c_str(), dir.file(applet).c_str()), 0) << applet;
   expect_loader_exact_with(dir.file("sh"), dir.path());
}

// A POSIX dd that knows no iflag=fullblock (BSD's, older busybox) still gets the loader there.
TEST(SshLaunch, LoaderWorksWithADdThatKnowsNoFullblock) {
   const test::TempDir dir("dpp-plain-dd");
   dir.write(
       "dd",
       "#!/bin/sh\nfor a in \"$@\"; do case $a in iflag=*) echo \"dd: unknown operand $a\" >&2; exit 1;; "
       "esac; done\nexec /bin/dd \"$@\"\n",
       0755);
   expect_loader_exact_with("/bin/sh", dir.path() + ":/usr/bin:/bin");
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

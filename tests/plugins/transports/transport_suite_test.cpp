// The one suite both SSH transports must pass, parameterised over transport × credential kind,
// each test against its own real sshd, driving the plugin through the C ABI.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <thread>

#include "large_command.hpp"
#include "support/child_process.hpp"
#include "support/test_paths.hpp"
#include "transport_fixture.hpp"

namespace dpp::test {
namespace {

using namespace std::chrono_literals;

std::string sha256_hex(const std::string& data) {
   unsigned char digest[EVP_MAX_MD_SIZE];
   unsigned int length = 0;
   EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
   char hex[2 * EVP_MAX_MD_SIZE + 1];
   for (unsigned i = 0; i < length; ++i) std::snprintf(hex + 2 * i, 3, "%02x", digest[i]);
   return hex;
}

std::string random_bytes(std::size_t size, uint64_t seed) {
   std::mt19937_64 generator(seed);
   std::string data(size, '\0');
   for (std::size_t i = 0; i + 8 <= size; i += 8) {
      const uint64_t value = generator();
      std::memcpy(&data[i], &value, 8);
   }
   return data;
}

// An 8 KiB+ POSIX sh script full of what login shells misread: single and double quotes,
// backslashes, '!', '$', backquotes, '%', tabs, non-ASCII, many lines. It prints a here-document
// verbatim and one quoted string; the expected output is returned through `expected`.
std::string tricky_script(std::string& expected) {
   static const std::string alphabet =
       "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ 0123456789 '\"\\!$`%&|;<>(){}[]*?~#^=+-_.,:@/\t";
   std::mt19937 generator(42);
   std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
   std::string body;
   for (int line = 0; body.size() < 8200; ++line) {
      std::string text = "line " + std::to_string(line) + " é ";
      for (int i = 0; i < 60; ++i) text += alphabet[pick(generator)];
      body += text + "\n";
   }
   expected = body + "it's \"quoted\" \\ $HOME! `x` 100%\n";
   return "cat <<'DPP_END_OF_TEXT'\n" + body + "DPP_END_OF_TEXT\n" +
          "printf '%s\\n' \"it's \\\"quoted\\\" \\\\ \\$HOME! \\`x\\` 100%\"\n";
}

// Whether something accepts TCP connections on 127.0.0.1:port.
bool tcp_port_accepts(int port) {
   const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
   sockaddr_in address{};
   address.sin_family = AF_INET;
   address.sin_port = htons(static_cast<uint16_t>(port));
   address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
   const bool accepted = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
   ::close(fd);
   return accepted;
}

double mib_per_second(std::size_t bytes, double seconds) {
   return seconds > 0 ? static_cast<double>(bytes) / (1024.0 * 1024.0) / seconds : 0;
}

// OpenSSH's own `ssh … cat` of `data` against the same sshd (for the printed comparison).
double openssh_cat_seconds(const SshdServer& sshd, const TestKeyPair& key, const TempDir& dir,
                           const std::string& data, const std::vector<std::string>& extra, std::string& out) {
   const std::string known_hosts = dir.write("openssh_known_hosts", "bench " + sshd.host_public_key() + "\n");
   ProcessOptions ssh;
   ssh.argv = {"/usr/bin/ssh", "-F",
               "none",         "-T",
               "-o",           "HostKeyAlias=bench",
               "-o",           "UserKnownHostsFile=" + known_hosts,
               "-o",           "StrictHostKeyChecking=yes",
               "-o",           "BatchMode=yes",
               "-o",           "IdentitiesOnly=yes",
               "-i",           key.private_file,
               "-p",           std::to_string(sshd.port())};
   ssh.argv.insert(ssh.argv.end(), extra.begin(), extra.end());
   ssh.argv.insert(ssh.argv.end(), {sshd.user() + "@127.0.0.1", "cat"});
   ssh.stdin_data = data;
   const ProcessResult result = run_process(ssh, std::chrono::seconds(300));
   out = result.out;
   return result.exit_code == 0 ? result.seconds : -1;
}

TEST_P(TransportTest, EchoPrintsItsOutputAndExitsZero) {
   const RunOutcome run = transport_->run(target(), "echo hi");
   ASSERT_EQ(run.status, DPP_OK) << run.message;
   EXPECT_EQ(run.out, "hi\n");
   EXPECT_EQ(run.err, "");
   EXPECT_EQ(run.exit_code, 0);
   EXPECT_EQ(run.exit_signal, "");
   std::printf("[timing] %s: `echo hi` took %.3f s (connect, login, run)\n", GetParam().transport.c_str(),
               run.seconds);
}

TEST_P(TransportTest, RemoteExitCodeIsReturned) {
   const RunOutcome run = transport_->run(target(), "exit 7");
   ASSERT_EQ(run.status, DPP_OK) << run.message;
   EXPECT_EQ(run.exit_code, 7);
   EXPECT_EQ(run.exit_signal, "");
}

TEST_P(TransportTest, StderrStaysApartFromStdout) {
   const RunOutcome run = transport_->run(target(), "echo out; echo err >&2; echo out2; echo err2 1>&2");
   ASSERT_EQ(run.status, DPP_OK) << run.message;
   EXPECT_EQ(run.out, "out\nout2\n");
   EXPECT_EQ(run.err, "err\nerr2\n");
}

TEST_P(TransportTest, SixtyFourMebibytesOfRandomBytesSurviveCat) {
   const std::string data = random_bytes(64u << 20, 7);
   const std::string expected = sha256_hex(data);
   const RunOutcome run = transport_->run(target(), "cat", data, 600s);
   ASSERT_EQ(run.status, DPP_OK) << run.message;
   EXPECT_EQ(run.exit_code, 0);
   ASSERT_EQ(run.out.size(), data.size());
   EXPECT_EQ(sha256_hex(run.out), expected);
   std::printf("[throughput] %s (%s): 64 MiB each way through `cat` in %.2f s = %.1f MiB/s\n",
               GetParam().transport.c_str(), password_auth() ? "password" : "key", run.seconds,
               mib_per_second(data.size(), run.seconds));
   if (password_auth()) return;
   // The same bytes through OpenSSH's ssh against the same sshd, for comparison (never asserted).
   for (const auto& [label, extra] : std::vector<std::pair<std::string, std::vector<std::string>>>{
            {"default cipher", {}},
            {"aes128-ctr + hmac-sha2-256", {"-c", "aes128-ctr", "-m", "hmac-sha2-256"}}}) {
      std::string out;
      const double seconds = openssh_cat_seconds(*sshd_, key_, *dir_, data, extra, out);
      if (seconds <= 0 || out != data) {
         std::printf("[throughput] OpenSSH ssh (%s): failed\n", label.c_str());
         continue;
      }
      std::printf("[throughput] OpenSSH `ssh … cat` (%s): %.2f s = %.1f MiB/s; %s/OpenSSH = %.2f\n",
                  label.c_str(), seconds, mib_per_second(data.size(), seconds), GetParam().transport.c_str(),
                  seconds / run.seconds);
   }
}

TEST_P(TransportTest, HalfCloseStillDeliversRemoteOutput) {
   const std::string data = random_bytes(3 << 20, 3);
   const RunOutcome run =
       transport_->run(target(), "f=$(mktemp); cat > \"$f\"; sleep 0.2; wc -c < \"$f\"; rm -f \"$f\"", data);
   ASSERT_EQ(run.status, DPP_OK) << run.message;
   EXPECT_EQ(run.out, std::to_string(data.size()) + "\n");
   EXPECT_EQ(run.exit_code, 0);
}

TEST_P(TransportTest, InteractiveLinesRoundTripOneByOne) {
   BackgroundRun run(*transport_, target(), "cat");
   std::string seen;
   // The first line also waits for the login: it is not counted.
   ASSERT_TRUE(run.write_stdin("hello\n"));
   ASSERT_TRUE(run.read_stdout_until("hello\n", seen, 60s)) << seen;
   seen.clear();
   const auto started = std::chrono::steady_clock::now();
   double worst = 0;
   for (int i = 0; i < 200; ++i) {
      const std::string line = "line " + std::to_string(i) + "\n";
      const auto sent = std::chrono::steady_clock::now();
      ASSERT_TRUE(run.write_stdin(line));
      // Each line must arrive on its own, before the next one is written.
      ASSERT_TRUE(run.read_stdout_until(line, seen, 30s))
          << "line " << i << " did not come back; got: " << seen;
      worst = std::max(worst, std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count());
      seen.clear();
   }
   const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
   run.close_stdin();
   const RunOutcome outcome = run.wait();
   ASSERT_EQ(outcome.status, DPP_OK) << outcome.message;
   EXPECT_EQ(outcome.exit_code, 0);
   std::printf("[latency] %s: 200 line round trips in %.3f s (mean %.2f ms, worst %.2f ms)\n",
               GetParam().transport.c_str(), total, total / 200 * 1000, worst * 1000);
}

TEST_P(TransportTest, EightKibibyteCommandWithQuotesAndNewlinesRunsVerbatim) {
   std::string expected;
   const std::string script = tricky_script(expected);
   ASSERT_GE(script.size(), 8192u);
   const RunOutcome run = transport_->run(target(), script);
   ASSERT_EQ(run.status, DPP_OK) << run.message;
   EXPECT_EQ(run.err, "");
   EXPECT_EQ(run.exit_code, 0);
   EXPECT_TRUE(run.out == expected) << "output differs; got " << run.out.size() << " bytes, want "
                                    << expected.size();
}

// DevPod passes whole scripts through COMMAND. OpenSSH's ssh gets at most 128 KiB through
// (sshd hands the command to the login shell as one argument, MAX_ARG_STRLEN); the transports
// carry more, and leave stdin to the script.
TEST_P(TransportTest, CommandsOfThirtyToTwoHundredKibibytesRunByteForByte) {
   struct Case {
      std::size_t kib;
      bool tricky;
   };
   for (const Case& size : {Case{30, false}, Case{30, true}, Case{64, true}, Case{200, true}}) {
      const LargeCommand command = make_large_command(size.kib * 1024, size.tricky, size.kib);
      SCOPED_TRACE(std::to_string(command.script.size()) + " bytes" + (size.tricky ? ", tricky" : ", plain"));
      SecretScanner argv_watch({command.marker});
      const RunOutcome run = transport_->run(target(), command.script, command.input);
      ASSERT_EQ(run.status, DPP_OK) << run.message;
      EXPECT_EQ(run.err, "");
      EXPECT_EQ(run.exit_code, command.exit_code);
      EXPECT_TRUE(run.out == command.expected)
          << "output differs; got " << run.out.size() << " bytes, want " << command.expected.size();
      if (command.script.size() > 32 * 1024) {
         // Past the "exec" request the script is in no process's argv (sshd runs on this machine).
         EXPECT_TRUE(argv_watch.stop().empty()) << "the script showed up in a command line";
      }
      std::printf("[command size] %s: %zu bytes (%s) ran in %.3f s\n", GetParam().transport.c_str(),
                  command.script.size(), size.tricky ? "tricky" : "plain", run.seconds);
   }
}

TEST_P(TransportTest, CancelStopsASleepingCommandPromptly) {
   BackgroundRun run(*transport_, target(), "echo ready; sleep 60");
   std::string seen;
   ASSERT_TRUE(run.read_stdout_until("ready\n", seen, 30s)) << seen;
   const auto cancelled = std::chrono::steady_clock::now();
   std::thread([this] { transport_->cancel(); }).join();
   const RunOutcome outcome = run.wait(90s);
   const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - cancelled).count();
   EXPECT_FALSE(outcome.hung) << "run() did not return after cancel()";
   EXPECT_EQ(outcome.status, DPP_E_CANCELLED) << outcome.message;
   std::printf("[cancel] %s: run() returned %.3f s after cancel()\n", GetParam().transport.c_str(), took);
   // A later run is not affected.
   const RunOutcome after = transport_->run(target(), "echo again");
   EXPECT_EQ(after.status, DPP_OK) << after.message;
   EXPECT_EQ(after.out, "again\n");
}

TEST_P(TransportTest, CancelStopsALargeCommandPromptly) {
   const std::string script = "echo ready; sleep 60\n# " + std::string(100 * 1024, '-') + "\n";
   BackgroundRun run(*transport_, target(), script);
   std::string seen;
   ASSERT_TRUE(run.read_stdout_until("ready\n", seen, 30s)) << seen;
   std::thread([this] { transport_->cancel(); }).join();
   const RunOutcome outcome = run.wait(90s);
   EXPECT_FALSE(outcome.hung) << "run() did not return after cancel()";
   EXPECT_EQ(outcome.status, DPP_E_CANCELLED) << outcome.message;
}

TEST_P(TransportTest, KilledServerEndsTheRunWithAClearError) {
   BackgroundRun run(*transport_, target(), "echo ready; cat");
   std::string seen;
   ASSERT_TRUE(run.read_stdout_until("ready\n", seen, 30s)) << seen;
   std::atomic<bool> stop{false};
   std::thread writer([&] {
      const std::string chunk(64 * 1024, 'x');
      while (!stop.load() && run.write_stdin(chunk)) {
      }
   });
   DrainThread drain(run.stdout_fd(), [](const char*, std::size_t) {});
   std::this_thread::sleep_for(300ms);
   sshd_->kill(SIGKILL);
   const RunOutcome outcome = run.wait(120s);
   stop.store(true);
   run.close_stdin();
   writer.join();
   EXPECT_FALSE(outcome.hung);
   EXPECT_EQ(outcome.status, DPP_E_CONNECTION_LOST) << outcome.message;
   EXPECT_NE(outcome.message.find(std::to_string(sshd_->port())), std::string::npos) << outcome.message;
   std::printf("[lost] %s: %s\n", GetParam().transport.c_str(), outcome.message.c_str());
}

TEST_P(TransportTest, SilentServerIsDetectedByKeepalives) {
   load_transport({{"DOKPLOY_SSH_KEEPALIVE", "1000"}});
   BackgroundRun run(*transport_, target(), "echo ready; sleep 120");
   std::string seen;
   ASSERT_TRUE(run.read_stdout_until("ready\n", seen, 30s)) << seen;
   sshd_->kill(SIGSTOP);
   const auto stopped = std::chrono::steady_clock::now();
   const RunOutcome outcome = run.wait(150s);
   const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - stopped).count();
   sshd_->kill(SIGCONT);
   EXPECT_FALSE(outcome.hung);
   EXPECT_EQ(outcome.status, DPP_E_CONNECTION_LOST) << outcome.message;
   EXPECT_NE(outcome.message.find("keepalive"), std::string::npos) << outcome.message;
   std::printf("[keepalive] %s: a stopped server was detected %.2f s after SIGSTOP (interval 1 s): %s\n",
               GetParam().transport.c_str(), took, outcome.message.c_str());
}

TEST_P(TransportTest, WrongHostKeyIsRefusedNamingBothFingerprints) {
   const TestKeyPair other = make_key_pair(*dir_, "other_host_key");
   TargetSpec spec = target();
   spec.host_key = other.public_line;
   const RunOutcome run = transport_->run(spec, "echo must-not-run");
   EXPECT_EQ(run.status, DPP_E_HOST_KEY_MISMATCH) << run.message;
   EXPECT_EQ(run.out, "");
   const std::string expected_fp = [&] {
      ProcessOptions keygen;
      keygen.argv = {"/usr/bin/ssh-keygen", "-l", "-f", other.public_file};
      return run_process(keygen).out;
   }();
   const std::string presented_fp = [&] {
      ProcessOptions keygen;
      keygen.argv = {"/usr/bin/ssh-keygen", "-l", "-f", sshd_->host_private_key_file()};
      return run_process(keygen).out;
   }();
   auto fingerprint = [](const std::string& listing) {
      const auto start = listing.find("SHA256:");
      return listing.substr(start, listing.find(' ', start) - start);
   };
   EXPECT_NE(run.message.find(fingerprint(expected_fp)), std::string::npos) << run.message;
   EXPECT_NE(run.message.find(fingerprint(presented_fp)), std::string::npos) << run.message;
}

TEST_P(TransportTest, WrongCredentialsAreRefusedWithAClearMessage) {
   TargetSpec spec = target();
   if (password_auth()) {
      spec.login.password = "not-" + password_.password;
   } else {
      const TestKeyPair other = make_key_pair(*dir_, "other_client_key");
      spec.login.private_key_file = other.private_file;
      spec.login.public_key_file = other.public_file;
   }
   const RunOutcome run = transport_->run(spec, "echo must-not-run");
   EXPECT_EQ(run.status, DPP_E_AUTH) << run.message;
   EXPECT_EQ(run.out, "");
   EXPECT_NE(run.message.find(sshd_->user() + "@"), std::string::npos) << run.message;
   EXPECT_NE(run.message.find(password_auth() ? "password" : "private key"), std::string::npos)
       << run.message;
   EXPECT_EQ(run.message.find(spec.login.password.empty() ? "\x01" : spec.login.password), std::string::npos);
   std::printf("[auth] %s: %s\n", GetParam().transport.c_str(), run.message.c_str());
}

TEST_P(TransportTest, SignalledRemoteCommandExitsWith128PlusTheSignal) {
   const RunOutcome run = transport_->run(target(), "echo before; kill -KILL $$");
   ASSERT_EQ(run.status, DPP_OK) << run.message;
   EXPECT_EQ(run.out, "before\n");
   EXPECT_EQ(run.exit_code, 128 + SIGKILL);
   EXPECT_EQ(run.exit_signal, "KILL");
   bool logged = false;
   for (const auto& line : transport_->log_lines())
      logged = logged || line.find("SIGKILL") != std::string::npos;
   EXPECT_TRUE(logged) << "no log line names the signal";
}

TEST_P(TransportTest, ConnectRetriesUntilThePortOpens) {
   sshd_->stop();
   TargetSpec spec = target();
   spec.connect_timeout_ms = 60'000;
   const auto started = std::chrono::steady_clock::now();
   std::thread opener([this] {
      std::this_thread::sleep_for(1500ms);
      sshd_->restart();
   });
   const RunOutcome run = transport_->run(spec, "echo up");
   opener.join();
   const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
   ASSERT_EQ(run.status, DPP_OK) << run.message;
   EXPECT_EQ(run.out, "up\n");
   std::printf("[retry] %s: logged in %.2f s after the first attempt (the port opened after 1.5 s)\n",
               GetParam().transport.c_str(), took);
}

// Each new ssh of the system transport must find the caller's stdin untouched, also when the
// script goes ahead of it on stdin.
TEST_P(TransportTest, ConnectRetriesLeaveTheStdinOfALargeCommandWhole) {
   sshd_->stop();
   TargetSpec spec = target();
   spec.connect_timeout_ms = 60'000;
   std::thread opener([this] {
      std::this_thread::sleep_for(1500ms);
      sshd_->restart();
   });
   // Smaller than a pipe's buffer: it fits into the pipe before any ssh reads it.
   const LargeCommand command = make_large_command(30 * 1024, true, 5);
   const RunOutcome run = transport_->run(spec, command.script, command.input);
   opener.join();
   ASSERT_EQ(run.status, DPP_OK) << run.message;
   EXPECT_EQ(run.exit_code, command.exit_code);
   EXPECT_TRUE(run.out == command.expected)
       << "output differs; got " << run.out.size() << " bytes, want " << command.expected.size();
}

// What a starting workspace looks like through Docker's or the runner's port forwarder: the
// port accepts at once, but closes every connection before an SSH banner until sshd is up.
TEST_P(TransportTest, ConnectRetriesThroughAForwarderWhoseServerStartsLate) {
   if (::access("/usr/bin/socat", X_OK) != 0) DPP_SKIP("socat is not installed (Debian package socat)");
   sshd_->stop();
   const int front = free_tcp_port();
   ProcessOptions forward;
   forward.argv = {"/usr/bin/socat", "TCP-LISTEN:" + std::to_string(front) + ",bind=127.0.0.1,fork,reuseaddr",
                   "TCP:127.0.0.1:" + std::to_string(sshd_->port())};
   ChildProcess socat(forward, dir_->file("socat.log"));
   for (int i = 0; i < 500 && !tcp_port_accepts(front); ++i) std::this_thread::sleep_for(10ms);
   TargetSpec spec = target();
   spec.port = static_cast<uint16_t>(front);
   spec.connect_timeout_ms = 60'000;
   std::thread opener([this] {
      std::this_thread::sleep_for(1500ms);
      sshd_->restart();
   });
   const RunOutcome run = transport_->run(spec, "echo through");
   opener.join();
   ASSERT_EQ(run.status, DPP_OK) << run.message;
   EXPECT_EQ(run.out, "through\n");
   std::printf("[retry] %s: logged in through the forwarder after %.2f s\n", GetParam().transport.c_str(),
               run.seconds);
}

TEST_P(TransportTest, ConnectGivesUpAfterTheConnectTimeout) {
   TargetSpec spec = target();
   spec.port = static_cast<uint16_t>(free_tcp_port());
   spec.connect_timeout_ms = 1500;
   const RunOutcome run = transport_->run(spec, "echo never", "", 60s);
   EXPECT_FALSE(run.hung);
   EXPECT_TRUE(run.status == DPP_E_CONNECT || run.status == DPP_E_TIMEOUT) << dpp_status_name(run.status);
   EXPECT_NE(run.message.find(std::to_string(spec.port)), std::string::npos) << run.message;
   std::printf("[retry] %s: gave up after %.2f s: %s\n", GetParam().transport.c_str(), run.seconds,
               run.message.c_str());
}

TEST_P(TransportTest, ProbeAcceptsThePinnedKey) {
   std::string message;
   EXPECT_EQ(transport_->probe(target(), 10'000, &message), DPP_OK) << message;
}

TEST_P(TransportTest, ProbeRefusesAnotherKeyNamingBothFingerprints) {
   const TestKeyPair other = make_key_pair(*dir_, "probe_other_key");
   TargetSpec spec = target();
   spec.host_key = other.public_line;
   std::string message;
   EXPECT_EQ(transport_->probe(spec, 10'000, &message), DPP_E_HOST_KEY_MISMATCH) << message;
   EXPECT_EQ(
       std::count(message.begin(), message.end(), ':') >= 2 && message.find("SHA256:") != std::string::npos,
       true)
       << message;
}

TEST_P(TransportTest, ProbeFailsOnAClosedPort) {
   TargetSpec spec = target();
   spec.port = static_cast<uint16_t>(free_tcp_port());
   std::string message;
   EXPECT_EQ(transport_->probe(spec, 5'000, &message), DPP_E_CONNECT) << message;
}

INSTANTIATE_TEST_SUITE_P(Transports, TransportTest,
                         ::testing::Values(TransportParam{"libssh2", AuthKind::key},
                                           TransportParam{"libssh2", AuthKind::password},
                                           TransportParam{"system", AuthKind::key},
                                           TransportParam{"system", AuthKind::password}),
                         param_name);

}  // namespace
}  // namespace dpp::test

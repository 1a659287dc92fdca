// DevPod's uses of `command`, each checked on a real workspace through the provider.
#include "command_checks.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <fstream>
#include <iterator>
#include <random>

namespace dpp::test::devpod {
namespace {

using namespace std::chrono_literals;

std::string trim(std::string text) {
   while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
      text.pop_back();
   return text;
}

CheckResult failed(const std::string& what, const ExecResult& result) {
   return {false, what + ": " + result.describe()};
}

std::string read_file(const std::string& path) {
   std::ifstream in(path, std::ios::binary);
   return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string mib(std::size_t bytes) {
   return std::to_string(bytes / (1024 * 1024)) + " MiB";
}

// `devpod machine ssh` logs the remote stderr through a pipe and a goroutine that it does not
// wait for before it exits (loft-sh/log StreamLogger.Writer), so a line written just before the
// command ends may be cut short or lost. The command therefore waits on stdin until its stderr
// has arrived; then stdin's EOF ends it.
CheckResult check_stderr_apart_while_running(const DevPodClient& devpod, const Machine& machine) {
   auto session = devpod.start_command(machine, "echo to-stdout; echo to-stderr >&2; cat > /dev/null");
   if (!session->read_stderr_until("to-stderr", 60s))
      return {false, "no to-stderr on stderr; stdout: " + session->out() + "; stderr: " + session->err()};
   session->close_stdin();
   const ExecResult result = session->wait(60s);
   if (!result.ok() || result.out != "to-stdout\n") return failed("stderr apart", result);
   return {true, "stderr arrived apart from stdout (while the command ran)"};
}

}  // namespace

std::string sha256_hex(const std::string& data) {
   Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
   engine.update(data.data(), static_cast<unsigned>(data.size()));
   return Poco::DigestEngine::digestToHex(engine.digest());
}

std::string random_bytes(std::size_t size, unsigned seed) {
   std::mt19937_64 random(seed);
   std::string data(size, '\0');
   for (std::size_t i = 0; i + 8 <= size; i += 8) {
      const uint64_t value = random();
      for (int b = 0; b < 8; ++b) data[i + b] = static_cast<char>((value >> (8 * b)) & 0xFF);
   }
   return data;
}

CheckResult check_echo(const DevPodClient& devpod, const Machine& machine) {
   const ExecResult result = devpod.command(machine, "echo hello from the workspace");
   if (!result.ok() || result.out != "hello from the workspace\n") return failed("echo", result);
   return {true, "stdout is exactly the remote output"};
}

CheckResult check_exit_code(const DevPodClient& devpod, const Machine& machine) {
   const ExecResult result = devpod.command(machine, "echo about to fail; exit 7");
   if (result.hung || result.exit_code != 7) return failed("exit 7", result);
   return {true, "exit code 7 came back"};
}

CheckResult check_stderr_apart(const DevPodClient& devpod, const Machine& machine) {
   if (devpod.real()) return check_stderr_apart_while_running(devpod, machine);
   const ExecResult result = devpod.command(machine, "echo to-stdout; echo to-stderr >&2");
   if (!result.ok() || result.out != "to-stdout\n" || result.err.find("to-stderr") == std::string::npos ||
       result.out.find("to-stderr") != std::string::npos)
      return failed("stderr apart", result);
   return {true, "stderr arrived apart from stdout"};
}

CheckResult check_binary_round_trip(const DevPodClient& devpod, const Machine& machine) {
   const std::string data = random_bytes(16 * 1024 * 1024, 16);
   const ExecResult result = devpod.command(machine, "cat", data);
   if (!result.ok()) return failed("cat of 16 MiB", result);
   const std::string sent = sha256_hex(data), received = sha256_hex(result.out);
   if (sent != received)
      return {false, "16 MiB sent with SHA-256 " + sent + ", " + std::to_string(result.out.size()) +
                         " bytes came back with " + received};
   return {true, mib(data.size()) + " each way, SHA-256 " + sent.substr(0, 12) + "… matches"};
}

CheckResult check_half_close(const DevPodClient& devpod, const Machine& machine) {
   const std::string data = random_bytes(3 * 1024 * 1024 + 17, 3);
   const ExecResult result =
       devpod.command(machine, "cat > \"$HOME/half-close.bin\"; wc -c < \"$HOME/half-close.bin\"", data);
   if (!result.ok() || trim(result.out) != std::to_string(data.size())) return failed("half-close", result);
   return {true, "EOF reached the remote cat, wc -c said " + trim(result.out)};
}

CheckResult check_interactive_round_trips(const DevPodClient& devpod, const Machine& machine) {
   auto session = devpod.start_command(machine, "while IFS= read -r line; do printf '%s\\n' \"$line\"; done");
   for (int i = 0; i < 200; ++i) {
      const std::string line = "line " + std::to_string(i) + " of 200\n";
      const std::size_t before = session->out().size();
      if (!session->write(line, 60s)) return {false, "could not write line " + std::to_string(i)};
      if (!session->read_until(line, before, 60s))
         return {false, "line " + std::to_string(i) + " did not come back; stderr: " + session->err()};
   }
   session->close_stdin();
   const ExecResult result = session->wait(60s);
   if (!result.ok()) return failed("after 200 lines", result);
   return {true, "200 lines, each echoed before the next was sent"};
}

CheckResult check_injection_handshake(const DevPodClient& devpod, const Machine& machine) {
   // The shape of DevPod's inject script: a first line, an answer, then the agent over stdin.
   const std::string script =
       "echo ping\n"
       "read -r answer\n"
       "if [ \"$answer\" != pong ]; then echo \"expected pong, got '$answer'\" >&2; exit 3; fi\n"
       "cat > \"$HOME/.e2e-agent\"\n"
       "chmod +x \"$HOME/.e2e-agent\"\n"
       "echo done\n";
   const std::string agent = random_bytes(8 * 1024 * 1024, 8);
   const auto started = std::chrono::steady_clock::now();
   auto session = devpod.start_command(machine, script);
   if (!session->read_until("ping\n", 0, 60s)) return {false, "no ping; stderr: " + session->err()};
   const double first_line =
       std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
   if (!session->write("pong\n", 60s) || !session->write(agent, 5min))
      return {false, "could not stream the agent"};
   session->close_stdin();
   if (!session->read_until("done\n", 0, 5min))
      return {false, "no done after EOF; stderr: " + session->err()};
   const ExecResult result = session->wait(60s);
   if (!result.ok() || result.out != "ping\ndone\n") return failed("injection", result);
   const ExecResult hash =
       devpod.command(machine, "sha256sum \"$HOME/.e2e-agent\"; rm -f \"$HOME/.e2e-agent\"");
   const std::string want = sha256_hex(agent);
   if (!hash.ok() || hash.out.rfind(want, 0) != 0) return failed("agent hash (want " + want + ")", hash);
   char first[32];
   std::snprintf(first, sizeof first, "%.2f", first_line);
   return {true, std::string("ping after ") + first + " s, pong, 8 MiB agent, done; hash matches"};
}

CheckResult check_agent_injected(const DevPodClient& devpod, const Machine& machine,
                                 const std::string& devpod_binary) {
   const std::string agent =
       expand_variables(devpod.driver().provider().agent.path, devpod.driver().option_values());
   // The first `machine ssh` injects the agent; this one finds it and hashes it.
   const ExecResult hash = devpod.command(machine, "sha256sum '" + agent + "'");
   const std::string local = read_file(devpod_binary);
   const std::string want = sha256_hex(local);
   if (!hash.ok() || hash.out.rfind(want, 0) != 0)
      return failed("the agent at " + agent + " (want SHA-256 " + want + " of " + devpod_binary + ")", hash);
   return {true, "DevPod's agent (" + mib(local.size()) + ") at " + agent + ", SHA-256 " +
                     want.substr(0, 12) + "… matches the local devpod"};
}

CheckResult check_sigint(const DevPodClient& devpod, const Machine& machine) {
   auto session = devpod.start_command(machine, "echo started; sleep 60; echo not-interrupted");
   if (!session->read_until("started\n", 0, 60s)) return {false, "never started; stderr: " + session->err()};
   session->cancel();
   const ExecResult result = session->wait(60s);
   if (result.hung) return failed("after SIGINT", result);
   if (result.needed_sigkill) return {false, "still running 2 s after SIGINT: DevPod had to SIGKILL it"};
   if (result.out.find("not-interrupted") != std::string::npos)
      return failed("sleep was not interrupted", result);
   return {true, "exited " + std::to_string(result.exit_code) + " on SIGINT, no SIGKILL needed"};
}

CheckResult write_persisted_file(const DevPodClient& devpod, const Machine& machine,
                                 const std::string& content) {
   const ExecResult result = devpod.command(machine, "cat > \"$HOME/persist.txt\" && sync", content);
   if (!result.ok()) return failed("write ~/persist.txt", result);
   return {true, "~/persist.txt written"};
}

CheckResult read_persisted_file(const DevPodClient& devpod, const Machine& machine,
                                const std::string& content) {
   const ExecResult result = devpod.command(machine, "cat \"$HOME/persist.txt\"");
   if (!result.ok() || result.out != content) return failed("read ~/persist.txt", result);
   return {true, "~/persist.txt is still there"};
}

}  // namespace dpp::test::devpod

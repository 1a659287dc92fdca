// The real DevPod CLI (a `devpod` binary) run by tests with a throw-away DEVPOD_HOME: the
// `real` tier drives every provider verb through it, and the conformance suite and the demo use
// it when one is at hand (DEVPOD_BIN, else PATH).
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/child_process.hpp"
#include "support/devpod_session.hpp"

namespace dpp::test::devpod {

// Where the real CLI is: $DEVPOD_BIN when set (it must be executable), else `devpod` on PATH.
// nullopt when there is none; `why` (may be null) then says what was looked at. DEVPOD_BIN=none
// turns the real CLI off (the in-house driver is used wherever the real CLI is optional).
std::optional<std::string> find_devpod_binary(std::string* why = nullptr);

// DevPod's machine states as `devpod machine status --output json` prints them.
enum class MachineState { running, busy, stopped, not_found, unknown };
const char* machine_state_name(MachineState state);

struct CliResult {
   ProcessResult process;
   std::string command_line;  // for messages: `devpod machine create m1 --provider dokploy`
   bool ok() const { return process.exit_code == 0 && !process.timed_out; }
   // Exit code, the command line and the last lines of both streams, for a failure message.
   std::string describe() const;
};

class DevPodCli {
 public:
   // `home` is created when missing; DEVPOD_HOME is `home`/.devpod and HOME is `home`.
   DevPodCli(std::string binary, std::string home);

   const std::string& binary() const { return binary_; }
   const std::string& home() const { return home_; }
   // `devpod version`, trimmed ("v0.0.0" for a development build).
   std::string version() const;

   // Any devpod command line; `stdin_data` is written then closed (nullopt: /dev/null).
   CliResult run(const std::vector<std::string>& args,
                 const std::optional<std::string>& stdin_data = std::nullopt,
                 std::chrono::milliseconds timeout = std::chrono::minutes(10)) const;
   // Any devpod command line as a running session with its three streams as pipes (interactive
   // use); `interrupted` turning true cancels it with SIGINT, then SIGKILL 2 s later.
   std::unique_ptr<CommandSession> start(const std::vector<std::string>& args,
                                         const std::atomic<bool>* interrupted = nullptr) const;
   // The same with explicit descriptors for stdin and stdout (large data); stderr is captured.
   CliResult run_with_descriptors(const std::vector<std::string>& args, int stdin_fd, int stdout_fd,
                                  std::chrono::milliseconds timeout = std::chrono::minutes(10)) const;

   // `devpod provider add <yaml> --name <name> -o NAME=value …`: DevPod runs the provider's
   // `init` here. DevPod takes option values only on its command line (or `set-options`), so a
   // token passed here is in devpod's argv: tests use throw-away keys of local servers only.
   CliResult add_provider(const std::string& provider_yaml, const std::string& name,
                          const std::map<std::string, std::string>& options) const;
   CliResult set_options(const std::string& name, const std::map<std::string, std::string>& options) const;

   // `devpod machine <verb> <machine> [--provider <provider>]` for create/start/stop/delete.
   CliResult machine(const std::string& verb, const std::string& machine, const std::string& provider = "",
                     std::chrono::milliseconds timeout = std::chrono::minutes(10)) const;
   // `devpod machine status <machine> --output json`: the state, or unknown with the reason in
   // `error` (a machine DevPod no longer knows is not_found, as after `machine delete`).
   MachineState machine_state(const std::string& machine, std::string* error = nullptr) const;
   // `devpod machine ssh <machine> --command <command>` with `stdin_data` on its stdin.
   CliResult ssh(const std::string& machine, const std::string& command,
                 const std::optional<std::string>& stdin_data = std::nullopt,
                 std::chrono::milliseconds timeout = std::chrono::minutes(10)) const;

   // The environment every devpod process gets: PATH, HOME, DEVPOD_HOME, LANG and telemetry off.
   EnvMap environment() const;

 private:
   std::string binary_;
   std::string home_;
};

}  // namespace dpp::test::devpod

// Runs a machine provider exactly as DevPod does: the environment table of every exec, each
// exec entry as one string through DevPod's shell, `status` parsed by DevPod's rule, and
// cancellation by SIGINT then SIGKILL 2 s later (loft-sh/devpod pkg/provider, pkg/client; the
// files read are listed in docs/devpod.md, "Supported DevPod versions").
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "support/child_process.hpp"
#include "support/devpod_provider.hpp"
#include "support/devpod_session.hpp"

namespace dpp::test::devpod {

struct DriverOptions {
   std::string provider_yaml;                       // path of the provider.yaml to use
   std::map<std::string, std::string> user_values;  // `devpod provider add -o NAME=value`
   std::string devpod_home;                         // stands for ~/.devpod (created when missing)
   std::string context = "default";
   bool debug = false;  // `--debug`: DEVPOD_DEBUG=true and DEVPOD_LOG_LEVEL=debug
   // DevPod's own environment, which every exec inherits. Empty: a small clean one (PATH,
   // HOME, LANG) so nothing of the test's environment leaks into the provider.
   EnvMap devpod_environment;
   // "" runs exec strings like DevPod's shell.ExecuteCommandWithShell (bash -c when bash is on
   // PATH, else sh -c); "sh" or "bash" forces one.
   std::string shell;
   // When set and it turns true (Ctrl-C), a running exec is cancelled as DevPod cancels it.
   const std::atomic<bool>* interrupted = nullptr;
};

struct Machine {
   std::string id;      // [a-z0-9-], at most 16 characters, as `devpod up` makes it
   std::string folder;  // MACHINE_FOLDER, exists
};

enum class Status { running, busy, stopped, not_found };
const char* status_name(Status status);

struct StatusResult {
   ExecResult exec;
   std::optional<Status> status;  // nullopt: DevPod would report an error
   std::string error;             // DevPod's error text when status is nullopt
};

// DevPod's client.ParseStatus: the whole stdout, trimmed and upper-cased, must be one word.
std::optional<Status> parse_status(const std::string& stdout_text, std::string* error = nullptr);

// A machine id as `devpod up` makes one: `hint` reduced to [a-z0-9-] (10 at most), '-', then 5
// random characters.
std::string new_machine_id(const std::string& hint);

// Polls `status` like `devpod up` (startWait): again every 2 s while it says Busy; returns the
// first other answer (or error). `on_poll` sees every answer; `guard` only keeps a broken
// provider from hanging the test (the answer then says hung).
StatusResult poll_status_while_busy(const std::function<StatusResult()>& status,
                                    std::chrono::milliseconds guard,
                                    const std::function<void(const StatusResult&)>& on_poll = {});

class DevPodDriver {
 public:
   explicit DevPodDriver(DriverOptions options);

   const ProviderDefinition& provider() const { return provider_; }
   const std::map<std::string, std::string>& option_values() const { return values_; }
   const DriverOptions& options() const { return options_; }
   // Absolute path of each binary KEY for this os/arch.
   const std::map<std::string, std::string>& binary_paths() const { return binaries_; }

   // A new machine as `devpod up` makes one: id from `hint` ([a-z0-9-]) plus random, ≤ 16.
   Machine new_machine(const std::string& hint) const;

   // The environment of `init` (options and binaries only) and of every machine exec.
   EnvMap init_environment() const;
   EnvMap machine_environment(const Machine& machine,
                              const std::optional<std::string>& command = std::nullopt) const;

   ExecResult init() const;
   ExecResult create(const Machine& machine) const;
   ExecResult start(const Machine& machine) const;
   ExecResult stop(const Machine& machine) const;
   // On success removes MACHINE_FOLDER, as DevPod does after `delete`.
   ExecResult remove(const Machine& machine) const;
   StatusResult status(const Machine& machine) const;
   // `command` with `script` in COMMAND; `stdin_data` is written, then stdin is closed.
   ExecResult command(const Machine& machine, const std::string& script, const std::string& stdin_data = "",
                      std::chrono::milliseconds guard = std::chrono::minutes(10)) const;
   std::unique_ptr<CommandSession> start_command(const Machine& machine, const std::string& script) const;

   // poll_status_while_busy() over this driver's `status`.
   StatusResult poll_while_busy(const Machine& machine, std::chrono::milliseconds guard,
                                const std::function<void(const StatusResult&)>& on_poll = {}) const;

   // Any exec entry by verb with the given environment (for rule tests and odd cases).
   ExecResult run_exec(const std::string& verb, const EnvMap& env, const std::string& stdin_data = "",
                       std::chrono::milliseconds guard = std::chrono::minutes(15)) const;

   std::string provider_folder() const;
   std::string shell() const { return shell_; }

 private:
   EnvMap base_environment() const;

   DriverOptions options_;
   ProviderDefinition provider_;
   std::map<std::string, std::string> values_;
   std::map<std::string, std::string> binaries_;
   std::string shell_;
};

}  // namespace dpp::test::devpod

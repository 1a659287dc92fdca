// Runs the real dokploy-provider binary as DevPod runs it: one process per verb with DevPod's
// environment table (every option as a variable, MACHINE_ID, MACHINE_FOLDER, DEVPOD_*,
// PROVIDER_*, COMMAND), nothing on the command line but the verb. Every process carries a mark
// in its environment, so a test can find any provider that outlived it, and every output is
// checked for the API token.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

namespace dpp::test::reliability {

struct ProviderSettings {
   std::string server_url;
   std::string token;
   std::string service_type = "compose";  // DOKPLOY_SERVICE_TYPE
   std::string transport = "libssh2";     // DOKPLOY_SSH_TRANSPORT
   std::string auth = "key";              // DOKPLOY_SSH_AUTH
   std::string http_timeout = "1s";       // DOKPLOY_HTTP_TIMEOUT: small, so a timeout costs little
   std::string create_timeout = "3m";     // DOKPLOY_CREATE_TIMEOUT
   std::string poll_interval = "250ms";   // DOKPLOY_POLL_INTERVAL
   EnvMap extra;                          // any other option
};

struct Machine {
   std::string id;      // MACHINE_ID
   std::string folder;  // MACHINE_FOLDER (exists, as DevPod makes it)
};

struct RunOptions {
   std::optional<std::string> command;                         // COMMAND, for `command`
   std::optional<std::string> stdin_data;                      // written, then stdin closed (else /dev/null)
   EnvMap overrides;                                           // options that differ for this run
   std::chrono::milliseconds guard = std::chrono::minutes(5);  // hang guard: kills, never a bound
};

// A provider process started in the background (for kills and long sessions).
struct RunningVerb {
   std::unique_ptr<ChildProcess> process;
   std::string out_file;
   std::string err_file;
   std::string read_out() const;
   std::string read_err() const;
};

class ProviderHarness {
 public:
   // A block of 100 SSH ports of our own (free on 127.0.0.1 when chosen, below the ephemeral
   // range) is picked unless settings.extra holds DOKPLOY_SSH_PORT_RANGE.
   explicit ProviderHarness(ProviderSettings settings);

   ProviderSettings& settings() { return settings_; }
   const ProviderSettings& settings() const { return settings_; }
   int port_low() const { return port_low_; }
   int port_high() const { return port_high_; }
   std::string port_range() const { return std::to_string(port_low_) + "-" + std::to_string(port_high_); }

   // A machine folder as DevPod makes it (~/.devpod/contexts/default/machines/<id>).
   Machine new_machine(const std::string& id) const;
   // The environment of one exec for `machine`.
   EnvMap environment(const Machine& machine, const RunOptions& options = {}) const;

   // Runs `verb` to completion; prints one line with the exit code and the seconds taken.
   ProcessResult run(const std::string& verb, const Machine& machine, const RunOptions& options = {}) const;
   // Starts `verb`; stdout and stderr go to files (read them any time).
   RunningVerb start(const std::string& verb, const Machine& machine, const RunOptions& options = {}) const;

   // "DPP_RELIABILITY_MARK=<random>", in the environment of every process started here.
   const std::string& mark() const { return mark_; }
   // Providers of this harness still alive (they should never outlive their verb).
   std::vector<pid_t> live_providers() const;
   // Outputs that contained the API token (should stay empty).
   std::vector<std::string> token_leaks() const;
   // Whether to print a line per run (off for the busy matrices, which print a table).
   void set_verbose(bool verbose) { verbose_ = verbose; }

 private:
   void check_for_token(const std::string& verb, const std::string& what, const std::string& text) const;

   ProviderSettings settings_;
   std::unique_ptr<TempDir> home_;
   int port_low_ = 0;
   int port_high_ = 0;
   std::string mark_;
   bool verbose_ = true;
   mutable std::mutex mutex_;
   mutable std::vector<std::string> leaks_;
};

// stdout without the trailing newline (the one word of `status`).
std::string trimmed(const std::string& text);
// The last `lines` lines of a text, for failure messages.
std::string tail_lines(const std::string& text, std::size_t lines = 12);

}  // namespace dpp::test::reliability

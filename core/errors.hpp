// The few exception types of the host. Each carries the process exit code and one line a person
// can act on; exactly one place (host/main.cpp) turns them into stderr and an exit code.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace dpp::core {

// Exit codes of dokploy-provider (documented in the README). `command` exits with the remote
// command's own code when it ran.
enum ExitCode : int {
   kExitOk = 0,
   kExitFailure = 1,      // anything else: the platform refused, a deploy failed, …
   kExitUsage = 2,        // bad command line or configuration
   kExitCancelled = 130,  // SIGINT/SIGTERM (128 + SIGINT)
   kExitTransport = 255,  // `command` could not reach or stay connected to the workspace (as ssh)
};

class ProviderError : public std::runtime_error {
 public:
   ProviderError(int exit_code, const std::string& message)
       : std::runtime_error(message), exit_code_(exit_code) {}
   int exit_code() const noexcept { return exit_code_; }

 private:
   int exit_code_;
};

// A problem with the command line or the options. `problems` lists every one found, each naming
// the option, the bad value (never a secret) and what is expected.
class ConfigError : public ProviderError {
 public:
   explicit ConfigError(std::vector<std::string> problems)
       : ProviderError(kExitUsage, summary(problems)), problems_(std::move(problems)) {}
   explicit ConfigError(const std::string& problem) : ConfigError(std::vector<std::string>{problem}) {}
   const std::vector<std::string>& problems() const noexcept { return problems_; }

 private:
   static std::string summary(const std::vector<std::string>& problems) {
      if (problems.size() == 1) return problems.front();
      return std::to_string(problems.size()) + " configuration problems (listed above)";
   }
   std::vector<std::string> problems_;
};

class UsageError : public ProviderError {
 public:
   explicit UsageError(const std::string& message) : ProviderError(kExitUsage, message) {}
};

// `command` could not connect, was refused, or lost its session.
class TransportError : public ProviderError {
 public:
   explicit TransportError(const std::string& message) : ProviderError(kExitTransport, message) {}
};

class CancelledError : public ProviderError {
 public:
   CancelledError() : ProviderError(kExitCancelled, "cancelled") {}
};

}  // namespace dpp::core

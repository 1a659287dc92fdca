// The verbs of dokploy-provider, in one table: what `--help` says of each, the options only it
// takes, how much it logs by default, and the function of core that runs it. The command line
// (command_line.cpp) and main() both read it, so a verb is added in one place.
#pragma once

#include <span>
#include <string_view>

namespace CLI {
class App;
}
namespace dpp::core {
class Session;
}

namespace dpp::host {

struct CommandLine;

struct Verb {
   const char* name;
   const char* help;
   // Its stdout and stderr are DevPod's (status, command): only problems are logged unless -v.
   bool quiet;
   // DevPod relays its output line by line through its logger (init, create, delete, start, stop):
   // see exit_grace in devpod_exit.hpp.
   bool output_relayed_by_devpod;
   // Adds the options only this verb takes to its CLI11 sub-command; NULL when it takes none.
   void (*add_options)(CLI::App& verb, CommandLine& line);
   // Runs it; returns the process exit code.
   int (*run)(core::Session& session, const CommandLine& line);
};

// Every verb, in the order `--help` lists them.
std::span<const Verb> verbs();
// The verb called `name`; NULL when there is none.
const Verb* find_verb(std::string_view name);

}  // namespace dpp::host

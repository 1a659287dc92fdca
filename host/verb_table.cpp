// The table of verbs (see verb_table.hpp).
#include "verb_table.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "command_line.hpp"
#include "errors.hpp"
#include "lifecycle/verbs.hpp"

namespace dpp::host {
namespace {

using core::Session;

int run_command(Session& session, const CommandLine& line) {
   std::optional<std::string> script = line.command_script;
   if (!script) script = session.environment().get_raw("COMMAND");
   if (!script)
      throw core::UsageError(
          "COMMAND is not set. DevPod sets it; outside DevPod pass the script: "
          "dokploy-provider command 'uname -a'");
   return core::verb_command(session, *script, STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO);
}

void command_options(CLI::App& verb, CommandLine& line) {
   verb.add_option("script", line.command_script,
                   "Script to run (default: the COMMAND environment variable)");
}

void plugins_options(CLI::App& verb, CommandLine& line) {
   verb.add_option("--output,-o", line.plugins_output, "Output format")
       ->check(CLI::IsMember({"text", "json"}));
}

const Verb kVerbs[] = {
    {"init", "Check the options, the plugins and the server (DevPod: provider add)", false, true, nullptr,
     [](Session& session, const CommandLine&) { return core::verb_init(session, std::cout, std::cerr); }},
    {"create", "Create the workspace and wait until it answers SSH", false, true, nullptr,
     [](Session& session, const CommandLine&) { return core::verb_create(session, std::cout); }},
    {"delete", "Delete the workspace and its volumes", false, true, nullptr,
     [](Session& session, const CommandLine&) { return core::verb_delete(session); }},
    {"start", "Start a stopped workspace", false, true, nullptr,
     [](Session& session, const CommandLine&) { return core::verb_start(session); }},
    {"stop", "Stop the workspace, keeping its files", false, true, nullptr,
     [](Session& session, const CommandLine&) { return core::verb_stop(session); }},
    {"status", "Print Running, Busy, Stopped or NotFound", true, false, nullptr,
     [](Session& session, const CommandLine&) { return core::verb_status(session, std::cout); }},
    {"command", "Run COMMAND on the workspace, joined to stdin/stdout/stderr", true, false, command_options,
     run_command},
    {"version", "Print the versions of the host, the ABI and the plugins", false, false, nullptr,
     [](Session& session, const CommandLine&) { return core::verb_version(session, std::cout); }},
    {"plugins", "List the plugins found, their kinds, versions and options", false, false, plugins_options,
     [](Session& session, const CommandLine& line) {
        return core::verb_plugins(session, std::cout, line.plugins_output == "json");
     }},
    {"doctor", "Diagnose the configuration, the server and a machine, with fixes", false, false, nullptr,
     [](Session& session, const CommandLine&) { return core::verb_doctor(session, std::cout); }},
};

}  // namespace

std::span<const Verb> verbs() {
   return kVerbs;
}

const Verb* find_verb(std::string_view name) {
   for (const Verb& verb : kVerbs)
      if (name == verb.name) return &verb;
   return nullptr;
}

}  // namespace dpp::host

// The command line of dokploy-provider: verbs and global flags, parsed with CLI11.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace dpp::host {

struct CommandLine {
   std::string verb;
   int verbosity = 0;       // -v: debug, -vv: trace
   std::string log_format;  // text | devpod | json; empty: devpod when DevPod runs us, else text
   std::optional<std::string> config_file;
   std::optional<std::string> machine_id;
   std::optional<std::string> machine_folder;
   std::optional<std::string> command_script;  // `command -- SCRIPT` (else COMMAND)
   std::string plugins_output = "text";
   bool exit_now = false;  // --help was printed
   int exit_code = 0;
};

// Parses argv. On --help prints it and sets exit_now; on a usage error prints the reason and
// sets exit_now with exit code 2.
CommandLine parse_command_line(int argc, char** argv);

}  // namespace dpp::host

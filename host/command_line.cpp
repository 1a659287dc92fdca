// Parses the command line with CLI11.
#include "command_line.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

#include "errors.hpp"
#include "util/text.hpp"
#include "verb_table.hpp"

namespace dpp::host {

CommandLine parse_command_line(int argc, char** argv) {
   CommandLine line;
   CLI::App app{
       "dokploy-provider: a DevPod machine provider for Dokploy.\n"
       "DevPod runs the verbs with options in the environment (see `plugins`)."};
   app.name("dokploy-provider");
   app.require_subcommand(1);
   app.fallthrough();
   app.add_flag("-v,--verbose", line.verbosity,
                "More logging on stderr (-vv for trace); DEVPOD_DEBUG=true also enables debug");
   app.add_option("--log-format", line.log_format,
                  "Log line format on stderr (default: devpod when DevPod runs the provider, else text)")
       ->check(CLI::IsMember({"text", "devpod", "json"}));
   app.add_option("--config", line.config_file,
                  "Read options from FILE (NAME=value lines); the environment wins");
   app.add_option("--machine-id", line.machine_id, "Machine to act on (default: MACHINE_ID)");
   app.add_option("--machine-folder", line.machine_folder,
                  "Folder of the machine's state and keys (default: MACHINE_FOLDER)");

   for (const Verb& verb : verbs()) {
      CLI::App* sub = app.add_subcommand(verb.name, verb.help);
      sub->callback([&line, name = std::string(verb.name)] { line.verb = name; });
      if (verb.add_options) verb.add_options(*sub, line);
   }
   try {
      app.parse(argc, argv);
   } catch (const CLI::CallForHelp& e) {
      line.exit_now = true;
      line.exit_code = app.exit(e);
   } catch (const CLI::CallForAllHelp& e) {
      line.exit_now = true;
      line.exit_code = app.exit(e);
   } catch (const CLI::ParseError& e) {
      std::string message = e.what();
      // CLI11 reports a mistyped verb as "A subcommand is required"; name the word instead.
      const std::vector<std::string> rest = app.remaining();
      if (app.get_subcommands().empty() && !rest.empty() && !rest.front().starts_with("-"))
         message = "unknown verb '" + core::printable_excerpt(rest.front()) + "'";
      // CLI11 quotes the bad argument as it is: escape what could drive the terminal.
      std::cerr << "dokploy-provider: " << core::printable_text(message)
                << "\nRun `dokploy-provider --help` for the verbs and options.\n";
      line.exit_now = true;
      line.exit_code = core::kExitUsage;
   }
   return line;
}

}  // namespace dpp::host

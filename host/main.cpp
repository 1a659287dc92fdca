// dokploy-provider's entry point: parse the command line, run one verb of core, and turn every
// error into one actionable line on stderr and the documented exit code. Nothing else.
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>
#include <unwind.h>

#include <iostream>

#include "command_line.hpp"
#include "devpod_exit.hpp"
#include "errors.hpp"
#include "lifecycle/session.hpp"
#include "lifecycle/signals.hpp"
#include "logging/logging.hpp"
#include "util/text.hpp"
#include "verb_table.hpp"

namespace {

using namespace dpp::core;

int default_level(const dpp::host::Verb& verb, int verbosity, const Environment& env) {
   if (verbosity >= 2) return DPP_LOG_TRACE;
   if (verbosity == 1 || env.get("DEVPOD_DEBUG") == "true") return DPP_LOG_DEBUG;
   return verb.quiet ? DPP_LOG_WARN : DPP_LOG_INFO;
}

// DevPod puts its own time and level word before each line we log.
LogFormat log_format(const std::string& chosen, const Environment& env) {
   if (chosen == "json") return LogFormat::json;
   if (chosen == "devpod") return LogFormat::devpod;
   if (chosen == "text") return LogFormat::text;
   return dpp::host::run_by_devpod(env) ? LogFormat::devpod : LogFormat::text;
}

int run(const dpp::host::CommandLine& line, char** argv, const Environment& environment) {
   const dpp::host::Verb* verb = dpp::host::find_verb(line.verb);
   if (!verb) throw UsageError("unknown verb " + line.verb);
   SessionSettings settings;
   std::error_code error;
   settings.executable = std::filesystem::read_symlink("/proc/self/exe", error);
   if (error) settings.executable = argv[0];
   settings.environment = environment;
   settings.config_file = line.config_file;
   settings.machine_id = line.machine_id;
   settings.machine_folder = line.machine_folder;
   configure_logging(default_level(*verb, line.verbosity, settings.environment),
                     log_format(line.log_format, settings.environment));
   install_signal_handlers();

   Session session(std::move(settings));
   return verb->run(session, line);
}

// The process holds the API token (from DevPod's environment) and private keys: no core dump may
// carry them, and other processes of the same user may not read our memory or environment
// through /proc or ptrace.
void protect_secrets_in_memory() {
   const rlimit no_core{0, 0};
   ::setrlimit(RLIMIT_CORE, &no_core);
   ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

// An error line as printed: secrets masked, and nothing that could pass for a line of its own
// or drive the terminal (continuation lines are indented).
std::string shown(const std::string& message) {
   return printable_text(redact(message), "\n    ");
}

// The host links libgcc statically (it needs only glibc) while plugins use the shared libgcc_s.
// An exception a plugin lets out is unwound by libgcc_s, which calls the host's personality
// routine for the host's frames, which calls the host's own static copy of _Unwind_SetGR — and
// that copy aborts until its register table was set up by a first unwind of its own. One
// backtrace through the static unwinder sets it up, so that such an exception reaches the
// host's catch (core/loader/plugin_instances.cpp) instead of killing the process.
void prime_static_unwinder() {
   _Unwind_Backtrace([](_Unwind_Context*, void*) { return _URC_END_OF_STACK; }, nullptr);
}

// Runs the verb; every error becomes its lines on stderr and its exit code.
int run_and_report(const dpp::host::CommandLine& line, char** argv, const Environment& environment) {
   try {
      return run(line, argv, environment);
   } catch (const ConfigError& e) {
      for (const auto& problem : e.problems()) std::cerr << "dokploy-provider: " << shown(problem) << '\n';
      if (e.problems().size() > 1)
         std::cerr << "dokploy-provider: " << line.verb << " failed: " << e.problems().size()
                   << " configuration problems (above); fix them and retry\n";
      return e.exit_code();
   } catch (const ProviderError& e) {
      std::cerr << "dokploy-provider: " << line.verb << " failed: " << shown(e.what()) << '\n';
      return e.exit_code();
   } catch (const std::exception& e) {
      std::cerr << "dokploy-provider: " << line.verb << " failed with an internal error: " << shown(e.what())
                << "\n(please report it with the output of --verbose)\n";
      return kExitFailure;
   }
}

}  // namespace

int main(int argc, char** argv) {
   protect_secrets_in_memory();
   prime_static_unwinder();
   std::ios::sync_with_stdio(true);
   const dpp::host::CommandLine line = dpp::host::parse_command_line(argc, argv);
   if (line.exit_now) return line.exit_code;
   const Environment environment = Environment::from_process();
   const int code = run_and_report(line, argv, environment);
   if (const dpp::host::Verb* verb = dpp::host::find_verb(line.verb)) {
      const auto grace = dpp::host::exit_grace(*verb, dpp::host::run_by_devpod(environment), code);
      if (grace.count() > 0) dpp::host::close_output_and_wait(grace);
   }
   return code;
}

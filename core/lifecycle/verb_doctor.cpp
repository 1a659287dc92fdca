// doctor: every check a person needs when something is wrong, each with pass/fail and a fix:
// configuration, plugins, the backend's own checks; then, for a machine, its state file, its
// workspace, its port, its host key and a test command.
#include <fcntl.h>
#include <unistd.h>

#include <optional>

#include "errors.hpp"
#include "lifecycle/check_printer.hpp"
#include "lifecycle/endpoint_checks.hpp"
#include "lifecycle/failed_create.hpp"
#include "lifecycle/verbs.hpp"
#include "loader/option_overlaps.hpp"
#include "logging/logging.hpp"
#include "options/host_options.hpp"
#include "util/tcp_probe.hpp"

namespace dpp::core {
namespace {

const char* state_name(int32_t state) {
   switch (state) {
      case DPP_WORKSPACE_NOT_FOUND: return "not found";
      case DPP_WORKSPACE_STOPPED: return "stopped";
      case DPP_WORKSPACE_BUSY: return "busy";
      case DPP_WORKSPACE_RUNNING: return "running";
      case DPP_WORKSPACE_FAILED: return "failed";
      default: return "unknown";
   }
}

// The machine's workspace host key, when its state and credentials are usable ("" otherwise:
// check_machine reports why).
std::string pinned_host_key(Session& session) {
   try {
      session.machine();  // throws when the state is unusable
      session.auth().prepare(false);
      const char* key = session.auth().workspace_auth().host_public_key;
      return key ? key : "";
   } catch (const ProviderError&) {
      return "";
   }
}

// The state file's health and the last create's failure; null when the state cannot be read.
MachineState* check_state(Session& session, CheckPrinter& printer) {
   MachineState* state = nullptr;
   try {
      state = &session.machine();
   } catch (const ProviderError& e) {
      printer.report("machine state", DPP_CHECK_FAIL, e.what(),
                     "fix or remove the state file; `create` rebuilds it");
      return nullptr;
   }
   if (state->corruption())
      printer.report("machine state", DPP_CHECK_WARN, state->path() + " is unusable: " + *state->corruption(),
                     "it is rebuilt by looking the workspace up; no action needed");
   else if (!state->existed())
      printer.report("machine state", DPP_CHECK_WARN, "no state file at " + state->path(),
                     "run `create` for this machine, or check MACHINE_FOLDER");
   else
      printer.report("machine state", DPP_CHECK_PASS, state->path(), "");
   if (state->failed_create)
      printer.report("last create", DPP_CHECK_FAIL, failed_create_message(*state),
                     "see the create's log above the failure in DevPod, or run it again with --debug");
   return state;
}

// What the backend says of the workspace; nullopt unless it runs (the SSH checks need it to).
std::optional<dpp_workspace_info> check_workspace_runs(Session& session, const MachineState& state,
                                                       CheckPrinter& printer) {
   dpp_workspace_info info{};
   try {
      info = session.backend().status(state.machine_id());
   } catch (const ProviderError& e) {
      printer.report("workspace", DPP_CHECK_FAIL, e.what(), "see the backend's checks above");
      return std::nullopt;
   }
   const std::string detail = info.detail[0] ? std::string(" (") + info.detail + ")" : "";
   if (info.state == DPP_WORKSPACE_NOT_FOUND) {
      printer.report("workspace", DPP_CHECK_FAIL,
                     "the backend has no workspace " + state.machine_id() + detail,
                     "run `devpod up` (create) for it");
      return std::nullopt;
   }
   printer.report("workspace", info.state == DPP_WORKSPACE_RUNNING ? DPP_CHECK_PASS : DPP_CHECK_WARN,
                  std::string("the backend reports it ") + state_name(info.state) + detail,
                  info.state == DPP_WORKSPACE_FAILED ? "run `devpod up` again: start redeploys it"
                                                     : "start it with `devpod up`");
   if (info.state != DPP_WORKSPACE_RUNNING) return std::nullopt;
   return info;
}

std::optional<dpp_workspace_auth> check_credentials(Session& session, const MachineState& state,
                                                    CheckPrinter& printer) {
   try {
      session.auth().prepare(false);
      const dpp_workspace_auth auth = session.auth().workspace_auth();
      printer.report("credentials", DPP_CHECK_PASS, "found in " + state.folder(), "");
      return auth;
   } catch (const ProviderError& e) {
      printer.report("credentials", DPP_CHECK_FAIL, e.what(),
                     "delete and recreate the workspace to make new ones");
      return std::nullopt;
   }
}

// The endpoint the backend names, unless its login user is refused.
std::optional<Endpoint> check_ssh_user(Session& session, const dpp_workspace_info& info,
                                       const dpp_workspace_auth& auth, CheckPrinter& printer) {
   try {
      return endpoint_from_info(info, session.backend().plugin(), auth.user, auth.host_public_key);
   } catch (const ProviderError& e) {
      printer.report("ssh user", DPP_CHECK_FAIL, e.what(), "change the backend's login user");
      return std::nullopt;
   }
}

bool check_ssh_port(const Endpoint& endpoint, CheckPrinter& printer) {
   std::string probe_detail;
   if (probe_ssh_banner(endpoint.host, endpoint.port, 5000, probe_detail) != ProbeResult::ssh_banner) {
      printer.report(
          "ssh port", DPP_CHECK_FAIL, probe_detail,
          "check that the port is published and not blocked by a firewall, and read the workspace's start-up "
          "log on its platform (with Dokploy: the service's deployment log)");
      return false;
   }
   printer.report("ssh port", DPP_CHECK_PASS, probe_detail, "");
   return true;
}

bool check_host_key(Session& session, const Endpoint& endpoint, CheckPrinter& printer) {
   std::string message;
   const dpp_status probe = session.transport().probe(ssh_target(endpoint), 10'000, message);
   if (probe != DPP_OK) {
      printer.report("host key", DPP_CHECK_FAIL, message,
                     probe == DPP_E_HOST_KEY_MISMATCH
                         ? "another SSH server answers on this port: delete and recreate the workspace"
                         : "see the ssh port check");
      return false;
   }
   printer.report("host key", DPP_CHECK_PASS, "the workspace answers with its pinned key", "");
   return true;
}

// Runs `true` on the workspace as its login user, through the transport.
void check_test_command(Session& session, const Endpoint& endpoint, CheckPrinter& printer) {
   dpp_credentials credentials = session.auth().credentials();
   credentials.user = endpoint.user.c_str();
   const dpp_ssh_target target = ssh_target(endpoint, &credentials, 10'000);
   dpp_run_request request{};
   request.struct_size = sizeof request;
   request.target = &target;
   request.command = "true";
   const int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
   request.stdin_fd = null_fd;
   request.stdout_fd = null_fd;
   request.stderr_fd = null_fd;
   dpp_run_result result{};
   std::string message;
   const dpp_status ran = session.transport().run(request, result, message);
   if (null_fd >= 0) ::close(null_fd);
   if (ran != DPP_OK)
      printer.report(
          "test command", DPP_CHECK_FAIL, message,
          ran == DPP_E_AUTH ? "the workspace refused the credentials: recreate it" : "retry with --verbose");
   else if (result.exit_code != 0)
      printer.report("test command", DPP_CHECK_FAIL, "`true` exited with " + std::to_string(result.exit_code),
                     "the workspace's shell is broken; check the image");
   else
      printer.report("test command", DPP_CHECK_PASS,
                     "`true` ran as " + endpoint.user + " through " + session.transport().plugin().id(), "");
}

// Each check needs the ones before it to pass.
void check_machine(Session& session, CheckPrinter& printer) {
   MachineState* state = check_state(session, printer);
   if (!state) return;
   const std::optional<dpp_workspace_info> info = check_workspace_runs(session, *state, printer);
   if (!info) return;
   const std::optional<dpp_workspace_auth> auth = check_credentials(session, *state, printer);
   if (!auth) return;
   const std::optional<Endpoint> endpoint = check_ssh_user(session, *info, *auth, printer);
   if (!endpoint || !check_ssh_port(*endpoint, printer) || !check_host_key(session, *endpoint, printer))
      return;
   check_test_command(session, *endpoint, printer);
}

}  // namespace

int verb_doctor(Session& session, std::ostream& out) {
   CheckPrinter printer(out);
   try {
      session.configure({.backend = true, .transport = true, .auth = true});
   } catch (const ConfigError& e) {
      for (const auto& problem : e.problems())
         printer.report("configuration", DPP_CHECK_FAIL, problem,
                        "set the option in DevPod (devpod provider set-options) or the environment");
      throw ProviderError(kExitUsage, "doctor found " + std::to_string(printer.failures()) + " problem(s)");
   }
   printer.report("configuration", DPP_CHECK_PASS, "all options are valid", "");
   // With a machine, the backend's checks may look at its workspace, probing its endpoint with
   // the machine's pinned host key; without, a backend can only check a host key it pins itself.
   offer_endpoint_checks(session, session.has_machine() ? pinned_host_key(session) : "");
   for (Session::Role role : {Session::Role::backend, Session::Role::transport, Session::Role::auth}) {
      const PluginLibrary& plugin = session.plugin(role);
      printer.report(std::string("plugin ") + plugin.id(), DPP_CHECK_PASS,
                     plugin.version() + " from " + plugin.file(), "");
   }
   for (const auto& overlap : find_option_overlaps(host_option_specs(), session.registry().load_all().loaded))
      printer.report("option " + overlap.name, DPP_CHECK_WARN, overlap.message, "");
   // The machine is bound first so that the backend's checks can look at it too (its shared
   // ports' addresses); a state that cannot be loaded is reported by check_machine.
   if (session.has_machine()) {
      try {
         session.machine();
      } catch (const ProviderError&) {
      }
   }
   dpp_error error = make_error();
   session.backend().check(&CheckPrinter::callback, &printer, error);
   if (session.has_machine())
      check_machine(session, printer);
   else
      printer.report("machine", DPP_CHECK_SKIP, "no MACHINE_ID or --machine-id: machine checks skipped", "");
   if (printer.failures() > 0)
      throw ProviderError(kExitFailure, "doctor found " + std::to_string(printer.failures()) +
                                            " problem(s); the first: " + printer.first_failure());
   out << "all checks passed\n";
   return kExitOk;
}

}  // namespace dpp::core

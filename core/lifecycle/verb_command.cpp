// command: DevPod's transport. The state file knows the endpoint, so no API request is made (unless
// nothing answers there: then the backend is asked once where the workspace moved); the transport
// joins the process's descriptors to the remote command.
#include <optional>

#include "errors.hpp"
#include "lifecycle/endpoint_checks.hpp"
#include "lifecycle/failed_create.hpp"
#include "lifecycle/signals.hpp"
#include "lifecycle/verbs.hpp"
#include "logging/logging.hpp"
#include "options/host_options.hpp"

namespace dpp::core {
namespace {

void cancel_transport(void* context) noexcept {
   static_cast<Transport*>(context)->cancel();
}

// Clears the signal hook when the command ends, whatever way it ends.
struct CancelHookScope {
   explicit CancelHookScope(Transport& transport) { set_cancel_hook(&cancel_transport, &transport); }
   ~CancelHookScope() { set_cancel_hook(nullptr, nullptr); }
};

// Asks the backend where the workspace answers now (one request) and remembers it.
Endpoint endpoint_from_backend(Session& session) {
   MachineState& state = session.machine();
   session.configure({.backend = true, .transport = true, .auth = true});
   const dpp_workspace_info info = session.backend().status(state.machine_id());
   if (info.state == DPP_WORKSPACE_NOT_FOUND)
      throw TransportError("workspace " + state.machine_id() +
                           " does not exist; run `devpod up` to create it");
   if (!info.ssh_host[0] || info.ssh_port == 0)
      throw TransportError("workspace " + state.machine_id() + " has no SSH endpoint yet (" +
                           std::string(info.detail[0] ? info.detail : "it is not running") + ")");
   const dpp_workspace_auth auth = session.auth().workspace_auth();
   Endpoint endpoint = state.endpoint;
   endpoint.host = info.ssh_host;
   endpoint.port = info.ssh_port;
   const std::optional<std::string> backend_user = backend_login_user(info, session.backend().plugin());
   if (endpoint.user.empty() || backend_user) endpoint.user = backend_user.value_or(auth.user);
   if (endpoint.host_key.empty() || info.ssh_host_key[0])
      endpoint.host_key =
          info.ssh_host_key[0] ? std::string(info.ssh_host_key) : std::string(auth.host_public_key);
   state.endpoint = endpoint;
   state.save();
   return endpoint;
}

// Loads the machine's credentials. A machine that has them not and whose folder no create ever
// wrote was never created from here: say so rather than what the auth plugin misses.
void prepare_credentials(Session& session, const MachineState& state) {
   try {
      session.auth().prepare(/*create_missing=*/false);
   } catch (const ProviderError& e) {
      if (state.existed() || e.exit_code() == kExitCancelled) throw;
      throw TransportError(never_created_message(state));
   }
}

}  // namespace

int verb_command(Session& session, const std::string& command, int stdin_fd, int stdout_fd, int stderr_fd) {
   session.configure({.transport = true, .auth = true});
   MachineState& state = session.machine();
   // DevPod retries `command` while it waits for its agent: fail at once, and say why.
   if (state.failed_create) throw TransportError(failed_create_message(state));
   prepare_credentials(session, state);
   Endpoint endpoint = state.endpoint;
   const bool remembered = endpoint.known();
   if (!remembered) {
      // Lost or corrupt state: ask the backend where the workspace answers (one request).
      log().info("the state file does not know where {} answers; asking the backend", state.machine_id());
      endpoint = endpoint_from_backend(session);
   }
   if (endpoint.host_key.empty())
      throw TransportError("no pinned host key for " + state.machine_id() +
                           "; refusing to connect (recreate the workspace)");

   const dpp_credentials credentials = session.auth().credentials();
   dpp_credentials login = credentials;
   if (!endpoint.user.empty()) login.user = endpoint.user.c_str();
   dpp_ssh_target target = ssh_target(
       endpoint, &login, static_cast<uint32_t>(session.config().get_u64(kOptSshConnectTimeout, 20'000)));
   dpp_run_request request{};
   request.struct_size = sizeof request;
   request.target = &target;
   request.command = command.c_str();
   request.stdin_fd = stdin_fd;
   request.stdout_fd = stdout_fd;
   request.stderr_fd = stderr_fd;

   log().debug("running a {}-byte command on {}@{}:{} through {}", command.size(), login.user, endpoint.host,
               endpoint.port, session.transport().plugin().id());
   dpp_run_result result{};
   std::string message;
   dpp_status status;
   {
      CancelHookScope hook(session.transport());
      status = session.transport().run(request, result, message);
   }
   // No session was made at the remembered endpoint (nothing of stdin was read yet): the
   // workspace may have moved behind our back (another client's start, Dokploy's UI). Ask the
   // backend once; when it names another endpoint, run there instead.
   if (remembered &&
       (status == DPP_E_CONNECT || status == DPP_E_TIMEOUT || status == DPP_E_HOST_KEY_MISMATCH)) {
      std::optional<Endpoint> moved;
      try {
         const Endpoint now = endpoint_from_backend(session);
         if (now.host != endpoint.host || now.port != endpoint.port) moved = now;
      } catch (const std::exception& e) {
         log().debug("asking the backend where {} answers now: {}", state.machine_id(), e.what());
      }
      if (moved) {
         log().info("workspace {} moved from {}:{} to {}:{}", state.machine_id(), endpoint.host,
                    endpoint.port, moved->host, moved->port);
         endpoint = *moved;
         if (!endpoint.user.empty()) login.user = endpoint.user.c_str();
         target = ssh_target(endpoint, &login, target.connect_timeout_ms);
         result = dpp_run_result{};
         result.struct_size = sizeof result;
         message.clear();
         CancelHookScope hook(session.transport());
         status = session.transport().run(request, result, message);
      }
   }
   switch (status) {
      case DPP_OK:
         if (result.exit_signal[0])
            log().error("the remote command was killed by signal SIG{} (exit code {})", result.exit_signal,
                        result.exit_code);
         return result.exit_code;
      case DPP_E_CANCELLED: throw CancelledError();
      case DPP_E_AUTH:
         throw TransportError(message +
                              " (the workspace did not accept this machine's credentials; "
                              "if its folder was recreated, delete and recreate the workspace)");
      default: throw TransportError(message.empty() ? std::string(dpp_strerror(status)) : message);
   }
}

}  // namespace dpp::core

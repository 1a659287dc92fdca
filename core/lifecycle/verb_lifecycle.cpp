// create, start, stop, delete: the verbs that change a workspace.
#include <chrono>

#include "errors.hpp"
#include "lifecycle/endpoint_checks.hpp"
#include "lifecycle/failed_create.hpp"
#include "lifecycle/machine_lock.hpp"
#include "lifecycle/verbs.hpp"
#include "logging/logging.hpp"
#include "options/host_options.hpp"
#include "workspace/workspace_spec.hpp"

namespace dpp::core {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
   return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Records which plugins made the machine and where it answers.
void remember(Session& session, const Endpoint& endpoint) {
   MachineState& state = session.machine();
   state.endpoint = endpoint;
   state.backend_id = session.backend().plugin().id();
   state.auth_id = session.auth().plugin().id();
   state.transport_id = session.transport().plugin().id();
   state.unreachable_since_ms.reset();
   state.failed_create.reset();
   state.save();
}

// The host's own last word on an endpoint: the backend said it answers; make sure, once.
void verify_endpoint(Session& session, const Endpoint& endpoint) {
   std::string message;
   const dpp_status status = session.transport().probe(ssh_target(endpoint), 10'000, message);
   if (status == DPP_OK) return;
   if (status == DPP_E_HOST_KEY_MISMATCH)
      throw ProviderError(kExitFailure, "the workspace's SSH port " + endpoint.host + ":" +
                                            std::to_string(endpoint.port) +
                                            " answers with another host key: " + message);
   throw ProviderError(kExitFailure, "the backend reported the workspace ready, but " + endpoint.host + ":" +
                                         std::to_string(endpoint.port) + " does not answer SSH: " + message);
}

// What a create made must not outlive the host's failed check of it: the backend deletes it and
// the state file goes, so that `status` says NotFound (not Busy for ever) and DevPod can create
// it again. Unless the person asked to keep it for inspection.
void roll_back_create(Session& session) {
   MachineState& state = session.machine();
   if (session.config().get_bool(kOptKeepFailed)) {
      log().warn("keeping workspace {} for inspection ({}); `devpod delete` removes it", state.machine_id(),
                 kOptKeepFailed);
      return;
   }
   try {
      session.backend().remove(state.machine_id(), /*keep_volumes=*/false);
      state.remove();
      log().info("deleted workspace {} again: the host could not use it", state.machine_id());
   } catch (const std::exception& e) {
      log().error(
          "could not delete workspace {} after the failed create ({}); run `devpod delete` to remove it",
          state.machine_id(), e.what());
   }
}

// The host's checks of what create returned, then the record. A machine that answered before
// (create is idempotent) is never rolled back: that would delete the person's work.
Endpoint adopt_created(Session& session, const dpp_workspace_info& info, const dpp_workspace_auth& auth,
                       bool answered_before) {
   try {
      const Endpoint endpoint =
          endpoint_from_info(info, session.backend().plugin(), auth.user, auth.host_public_key);
      verify_endpoint(session, endpoint);
      remember(session, endpoint);
      return endpoint;
   } catch (...) {
      if (!answered_before) roll_back_create(session);
      throw;
   }
}

// Loads everything a create/start needs: lock first, then credentials, endpoint checks.
dpp_workspace_auth prepare_machine(Session& session, bool create_credentials) {
   session.machine();  // the auth plugin reads the machine's folder through the host
   session.auth().prepare(create_credentials);
   dpp_workspace_auth auth = session.auth().workspace_auth();
   offer_endpoint_checks(session, auth.host_public_key);
   return auth;
}

// Creates the workspace of a locked machine.
void create_workspace(Session& session, std::ostream& out) {
   MachineState& state = session.machine();
   const auto started = std::chrono::steady_clock::now();
   const dpp_workspace_auth auth = prepare_machine(session, /*create_credentials=*/true);
   WorkspaceSpec spec(session.config(), state.machine_id(), auth);
   log().info("creating workspace {} with the {} backend (timeout {} s)", state.machine_id(),
              session.backend().plugin().id(), spec.get().timeout_ms / 1000);
   const bool answered_before = state.endpoint.known();
   const dpp_workspace_info info = session.backend().create(spec.get());
   const Endpoint endpoint = adopt_created(session, info, auth, answered_before);
   log().info("workspace {} is ready at {}@{}:{} ({:.1f} s)", state.machine_id(), endpoint.user,
              endpoint.host, endpoint.port, seconds_since(started));
   out << "DEVPOD_MACHINE_ID=" << state.machine_id() << '\n'
       << "DEVPOD_MACHINE_HOST=" << endpoint.host << '\n'
       << "DEVPOD_MACHINE_PORT=" << endpoint.port << '\n'
       << "DEVPOD_MACHINE_USER=" << endpoint.user << '\n';
   out.flush();
}

}  // namespace

int verb_create(Session& session, std::ostream& out) {
   session.configure({.backend = true, .transport = true, .auth = true});
   MachineState& state = session.machine();
   MachineLock lock(state.folder());
   try {
      create_workspace(session, out);
   } catch (const std::exception& e) {
      record_failed_create(state, e.what());
      throw;
   }
   return kExitOk;
}

int verb_start(Session& session) {
   session.configure({.backend = true, .transport = true, .auth = true});
   MachineState& state = session.machine();
   MachineLock lock(state.folder());
   const auto started = std::chrono::steady_clock::now();
   const dpp_workspace_auth auth = prepare_machine(session, /*create_credentials=*/false);
   WorkspaceSpec spec(session.config(), state.machine_id(), auth);
   log().info("starting workspace {}", state.machine_id());
   const dpp_workspace_info info = session.backend().start(spec.get());
   const Endpoint endpoint =
       endpoint_from_info(info, session.backend().plugin(), auth.user, auth.host_public_key);
   verify_endpoint(session, endpoint);
   remember(session, endpoint);
   log().info("workspace {} runs again ({:.1f} s)", state.machine_id(), seconds_since(started));
   return kExitOk;
}

int verb_stop(Session& session) {
   session.configure({.backend = true});
   MachineState& state = session.machine();
   MachineLock lock(state.folder());
   log().info("stopping workspace {}", state.machine_id());
   session.backend().stop(state.machine_id());
   if (state.unreachable_since_ms) {
      state.unreachable_since_ms.reset();
      state.save();
   }
   log().info("workspace {} is stopped", state.machine_id());
   return kExitOk;
}

int verb_delete(Session& session) {
   session.configure({.backend = true});
   MachineState& state = session.machine();
   MachineLock lock(state.folder());
   const bool keep_volumes = session.config().get_bool(kOptKeepVolumes);
   log().info("deleting workspace {}{}", state.machine_id(), keep_volumes ? " (keeping its volumes)" : "");
   session.backend().remove(state.machine_id(), keep_volumes);
   state.remove();
   log().info("workspace {} is deleted", state.machine_id());
   return kExitOk;
}

}  // namespace dpp::core

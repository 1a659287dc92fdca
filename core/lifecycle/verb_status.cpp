// status: one request to the backend, one TCP probe of the SSH port, one word on stdout.
#include <chrono>
#include <optional>

#include "errors.hpp"
#include "lifecycle/failed_create.hpp"
#include "lifecycle/status_mapping.hpp"
#include "lifecycle/verbs.hpp"
#include "logging/logging.hpp"
#include "util/tcp_probe.hpp"

namespace dpp::core {

namespace {

// The probe of the endpoint the state file remembers, started before the plugin is even loaded
// (see EarlySshProbe); nullopt without a usable state (its errors come later, in order).
std::optional<EarlySshProbe> early_probe(Session& session) {
   if (!session.has_machine()) return std::nullopt;
   try {
      const Endpoint& endpoint = session.machine().endpoint;
      if (endpoint.known()) return std::make_optional<EarlySshProbe>(endpoint.host, endpoint.port);
   } catch (const std::exception&) {
      // Reported by the session.machine() call below, after the configuration's problems.
   }
   return std::nullopt;
}

}  // namespace

int verb_status(Session& session, std::ostream& out) {
   std::optional<EarlySshProbe> early = early_probe(session);
   session.configure({.backend = true});
   MachineState& state = session.machine();
   // Asked also after a failed create, so that a server that cannot answer is reported as ever.
   const dpp_workspace_info info = session.backend().status(state.machine_id());
   if (state.failed_create) {
      // Whatever the failed create left (a kept service, one whose SSH the host refused), the
      // workspace was never handed to DevPod: NotFound makes DevPod run create again, which
      // finds the machine's service by name and takes it over (no second one). Running would
      // make DevPod try `command` on it until its agent timeout.
      log().debug("{}", failed_create_message(state));
      out << devpod_status_word(DevpodStatus::not_found) << '\n';
      out.flush();
      return kExitOk;
   }
   bool answers = false;
   if (info.state == DPP_WORKSPACE_RUNNING) {
      std::string host = info.ssh_host[0] ? std::string(info.ssh_host) : state.endpoint.host;
      uint16_t port = info.ssh_port ? info.ssh_port : state.endpoint.port;
      std::string detail;
      if (early && early->covers(host, port)) {
         answers = early->finish(3000, detail) == ProbeResult::ssh_banner;
         log().debug("{}", detail);
      } else if (!host.empty() && port != 0) {
         answers = probe_ssh_banner(host, port, 3000, detail) == ProbeResult::ssh_banner;
         log().debug("{}", detail);
      }
   }
   early.reset();  // not needed (or used): close it before anything else
   const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
   const StatusDecision decision = decide_status(info.state, answers, state.unreachable_since_ms, now_ms);
   // The workspace answers where the backend says, somewhere else than remembered (moved behind
   // our back: another client, Dokploy's UI): remember it, so `command` connects there. The
   // pinned host key stays; the transport checks it on every connection.
   const bool moved = answers && state.endpoint.known() && info.ssh_host[0] && info.ssh_port != 0 &&
                      (state.endpoint.host != info.ssh_host || state.endpoint.port != info.ssh_port);
   if (moved) {
      log().info("workspace {} moved from {}:{} to {}:{}", state.machine_id(), state.endpoint.host,
                 state.endpoint.port, info.ssh_host, info.ssh_port);
      state.endpoint.host = info.ssh_host;
      state.endpoint.port = info.ssh_port;
   }
   if (moved || (decision.unreachable_since_ms != state.unreachable_since_ms &&
                 info.state != DPP_WORKSPACE_NOT_FOUND)) {
      state.unreachable_since_ms = decision.unreachable_since_ms;
      try {
         state.save();
      } catch (const std::exception& e) {
         log().warn("cannot update the state file: {}", e.what());
      }
   }
   if (info.detail[0]) log().debug("backend says: {}", info.detail);
   out << devpod_status_word(decision.status) << '\n';
   out.flush();
   return kExitOk;
}

}  // namespace dpp::core

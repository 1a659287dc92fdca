// status: one request to the backend, one TCP probe of the SSH port, one word on stdout.
#include <chrono>

#include "errors.hpp"
#include "lifecycle/status_mapping.hpp"
#include "lifecycle/verbs.hpp"
#include "logging/logging.hpp"
#include "util/tcp_probe.hpp"

namespace dpp::core {

int verb_status(Session& session, std::ostream& out) {
   session.configure({.backend = true});
   MachineState& state = session.machine();
   const dpp_workspace_info info = session.backend().status(state.machine_id());
   bool answers = false;
   if (info.state == DPP_WORKSPACE_RUNNING) {
      std::string host = info.ssh_host[0] ? std::string(info.ssh_host) : state.endpoint.host;
      uint16_t port = info.ssh_port ? info.ssh_port : state.endpoint.port;
      std::string detail;
      if (!host.empty() && port != 0) {
         answers = probe_ssh_banner(host, port, 3000, detail) == ProbeResult::ssh_banner;
         log().debug("{}", detail);
      }
   }
   const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
   const StatusDecision decision = decide_status(info.state, answers, state.unreachable_since_ms, now_ms);
   if (decision.unreachable_since_ms != state.unreachable_since_ms && info.state != DPP_WORKSPACE_NOT_FOUND) {
      state.unreachable_since_ms = decision.unreachable_since_ms;
      try {
         state.save();
      } catch (const std::exception& e) {
         log().warn("cannot record the workspace's silence in the state file: {}", e.what());
      }
   }
   if (info.detail[0]) log().debug("backend says: {}", info.detail);
   out << devpod_status_word(decision.status) << '\n';
   out.flush();
   return kExitOk;
}

}  // namespace dpp::core

// Maps backend state + SSH probe to DevPod's status word.
#include "lifecycle/status_mapping.hpp"

#include <dpp/backend.h>

namespace dpp::core {

const char* devpod_status_word(DevpodStatus status) {
   switch (status) {
      case DevpodStatus::running: return "Running";
      case DevpodStatus::busy: return "Busy";
      case DevpodStatus::stopped: return "Stopped";
      case DevpodStatus::not_found: return "NotFound";
   }
   return "Busy";
}

StatusDecision decide_status(int32_t backend_state, bool ssh_answers,
                             std::optional<int64_t> unreachable_since_ms, int64_t now_ms) {
   switch (backend_state) {
      case DPP_WORKSPACE_NOT_FOUND: return {DevpodStatus::not_found, std::nullopt};
      case DPP_WORKSPACE_STOPPED:
      case DPP_WORKSPACE_FAILED: return {DevpodStatus::stopped, std::nullopt};
      case DPP_WORKSPACE_BUSY: return {DevpodStatus::busy, unreachable_since_ms};
      case DPP_WORKSPACE_RUNNING:
         if (ssh_answers) return {DevpodStatus::running, std::nullopt};
         if (!unreachable_since_ms) return {DevpodStatus::busy, now_ms};
         if (now_ms - *unreachable_since_ms >= kUnreachableBoundMs)
            return {DevpodStatus::stopped, unreachable_since_ms};
         return {DevpodStatus::busy, unreachable_since_ms};
      default: return {DevpodStatus::busy, unreachable_since_ms};
   }
}

}  // namespace dpp::core

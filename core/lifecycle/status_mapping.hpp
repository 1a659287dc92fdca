// How a backend's workspace state and a probe of its SSH port become the one word DevPod reads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace dpp::core {

enum class DevpodStatus { running, busy, stopped, not_found };

const char* devpod_status_word(DevpodStatus status);

struct StatusDecision {
   DevpodStatus status;
   // New value for the state's unreachable_since_ms (nullopt: clear it).
   std::optional<int64_t> unreachable_since_ms;
};

// How long a workspace the platform calls running may stay silent on SSH before DevPod is told
// it is stopped (then `start` restarts it instead of DevPod polling Busy forever).
inline constexpr int64_t kUnreachableBoundMs = 3 * 60 * 1000;

// backend_state: DPP_WORKSPACE_*; ssh_answers: the probe's result (only looked at when RUNNING).
// Never NotFound for a failed workspace: that would make DevPod create a second one.
StatusDecision decide_status(int32_t backend_state, bool ssh_answers,
                             std::optional<int64_t> unreachable_since_ms, int64_t now_ms);

}  // namespace dpp::core

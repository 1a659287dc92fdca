// What a failed `create` leaves for the verbs after it. DevPod keeps a machine whose create failed
// (`devpod machine create`, or a workspace whose machine it still knows) and may go on polling
// `status` and running `command` on it: the state file records the failure, so that `status`
// answers NotFound (DevPod then runs create again) and `command` says at once what happened.
#pragma once

#include <string>

#include "state/machine_state.hpp"

namespace dpp::core {

// Records that the create of `state`'s machine failed now with `reason` (written atomically);
// a state that cannot be written is only logged: the create's own error matters more.
void record_failed_create(MachineState& state, const std::string& reason);

// The one line `command` fails with after a failed create: when, why, and what to run.
std::string failed_create_message(const MachineState& state);

// The one line `command` fails with for a machine folder that no create ever wrote.
std::string never_created_message(const MachineState& state);

}  // namespace dpp::core

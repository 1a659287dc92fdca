// One combination's DevPod lifecycle, step by step as DevPod runs it: init, create, status
// until Running, the `command` checks, (auto-stop,) stop → Stopped, start → Running with the
// file still there, delete → NotFound, delete again. Each step is timed and logged; a failed
// step is a test failure; whatever was created is deleted again, also after a failure.
#pragma once

#include <string>

#include "combination.hpp"
#include "conformance_environment.hpp"

namespace dpp::test::devpod {

void run_lifecycle(ConformanceEnvironment& environment, const Combination& combination);

}  // namespace dpp::test::devpod

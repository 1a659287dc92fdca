// How the host leaves when DevPod runs it: DevPod v0.5.7 can lose a failed verb's last lines.
#pragma once

#include <chrono>

#include "options/environment.hpp"
#include "verb_table.hpp"

namespace dpp::host {

// Whether DevPod runs this process. DevPod sets DEVPOD (its own executable) for every machine
// verb, and the binary's variable of provider.yaml (DOKPLOY_PROVIDER) for every verb, `init`
// included (pkg/provider/env.go, pkg/binaries).
bool run_by_devpod(const core::Environment& env);

// How long a process that ends with `exit_code` keeps running after its output is closed.
//
// DevPod relays the output of init, create, delete, start and stop through a goroutine that logs
// it line by line (loft-sh/log StreamLogger.Writer), and when the provider exits non-zero it
// calls os.Exit with that code at once (cmd/root.go, Execute). On a busy machine the goroutine
// has not printed the last lines yet: the user sees the machine fail with no reason. So such a
// verb, failing under DevPod, closes its output and waits this long before it exits; DevPod
// waits for the exit, and its goroutine prints the lines meanwhile. Zero otherwise.
std::chrono::milliseconds exit_grace(const Verb& verb, bool by_devpod, int exit_code);

// Flushes and closes stdout and stderr (later writes go to /dev/null), then waits `grace`.
void close_output_and_wait(std::chrono::milliseconds grace);

}  // namespace dpp::host

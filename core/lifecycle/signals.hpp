// SIGINT/SIGTERM/SIGHUP handling: the first signal asks everything to stop (plugins poll
// dpp_host.is_cancelled; a running transport is cancelled at once); a second one exits now.
#pragma once

namespace dpp::core {

// A cancel hook called from the signal handler: must be async-signal-safe.
using CancelHook = void (*)(void* context) noexcept;

// Installs the handlers and ignores SIGPIPE (a closed stdout is an EPIPE error, not a death).
void install_signal_handlers();
// Registers the hook called on the first signal (nullptr to clear). Not reentrant with itself.
void set_cancel_hook(CancelHook hook, void* context);

}  // namespace dpp::core

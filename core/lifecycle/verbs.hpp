// The verbs of dokploy-provider, each a function a test can call without a process. They
// configure the session with only the plugins they need, and return the process exit code.
// Output meant for DevPod goes to `out` (stdout); everything else is logged to stderr.
#pragma once

#include <ostream>
#include <string>

#include "lifecycle/session.hpp"

namespace dpp::core {

// Prints the report of its checks to `out`, the checks that failed to `failures_out`.
int verb_init(Session& session, std::ostream& out, std::ostream& failures_out);
int verb_create(Session& session, std::ostream& out);
int verb_delete(Session& session);
int verb_start(Session& session);
int verb_stop(Session& session);
// Prints exactly one word: Running, Busy, Stopped or NotFound.
int verb_status(Session& session, std::ostream& out);
// Runs `command` on the workspace joined to the three descriptors; returns the remote exit code.
int verb_command(Session& session, const std::string& command, int stdin_fd, int stdout_fd, int stderr_fd);
int verb_doctor(Session& session, std::ostream& out);
int verb_version(Session& session, std::ostream& out);
int verb_plugins(Session& session, std::ostream& out, bool json);

}  // namespace dpp::core

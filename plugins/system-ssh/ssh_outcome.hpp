// How a run of OpenSSH's ssh ended, read from its exit code and its private DEBUG1 log (never
// from the data streams, which go straight to the host's descriptors): the remote command's
// exit, or a failure classified as host key mismatch, refused login, unreachable server (worth
// retrying while the workspace starts), lost connection or protocol error.
#pragma once

#include <dpp/status.h>
#include <chrono>
#include <string>

namespace dpp::plugins::system_ssh {

struct SshRunContext {
   std::string endpoint;            // "127.0.0.1:2222"
   std::string login;               // "devpod@127.0.0.1:2222"
   std::string credential;          // "the private key /…/id_ed25519" / "the password"
   std::string pinned_fingerprint;  // "SHA256:…"
   std::string pinned_type;         // "ssh-ed25519"
   std::chrono::milliseconds keepalive{0};
   bool password = false;  // the exit code is sshpass's
};

struct SshOutcome {
   // True when the remote command ran and exited: exit_code (and maybe exit_signal) are its.
   bool remote_exit = false;
   int exit_code = 0;
   std::string exit_signal;
   // Otherwise why not.
   dpp_status status = DPP_OK;
   std::string message;
   // A failure before any SSH banner (refused, reset, closed, timed out): the workspace may
   // still be starting.
   bool retryable = false;
};

// `exit_code`: of ssh (or sshpass). `log`: ssh's -E file at LogLevel DEBUG1. The remote command
// runs under ssh_remote_command_reporting_signals, so a remote exit status 128+N with N a known
// signal number is reported as that signal (an explicit `exit 137` looks the same: OpenSSH's
// client does not pass the exit-signal message on).
SshOutcome read_ssh_outcome(int exit_code, const std::string& log, const SshRunContext& context);

}  // namespace dpp::plugins::system_ssh

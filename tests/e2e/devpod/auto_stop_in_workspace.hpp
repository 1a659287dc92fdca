// provider.yaml's auto-stop (agent.exec.shutdown) run inside a real workspace the way DevPod's
// agent daemon runs it: one string through bash -c (sh -c without bash), with the provider's
// options in the environment, stdin at /dev/null, and curl and sed wrapped by shims that record
// their argument lists. The workspace reaches the emulator through a forwarder on its veth's
// host end (its only route), as it would reach DOKPLOY_SERVER_URL on a real server. Every step
// in the workspace goes through the DevPodClient (with the real CLI: `devpod machine ssh`); the
// agent's daemon itself only runs in a `devpod up` workspace, so its part is played here.
#pragma once

#include <memory>
#include <string>

#include "command_checks.hpp"
#include "support/child_process.hpp"
#include "support/devpod_client.hpp"
#include "support/emulator.hpp"

namespace dpp::test::devpod {

class AutoStopInWorkspace {
 public:
   AutoStopInWorkspace(const DevPodClient& devpod, const Machine& machine, Emulator& emulator);
   ~AutoStopInWorkspace();  // stops the forwarder by PID

   // The bootstrap recorded the service; the forwarder listens; the daemon's environment and
   // the command are in place in the workspace.
   CheckResult prepare();
   // Runs the command; Dokploy (the emulator) must be asked to stop exactly this service.
   CheckResult run();
   // After `start`: the shims saw curl, and no argument list held the token.
   CheckResult verify_argv_log();

 private:
   // Waits for the command's session to end after the workspace stopped (Ctrl-C for the real
   // CLI, which does not notice); a note on how it ended, or "" for nothing unusual.
   std::string end_session(CommandSession& session) const;

   const DevPodClient& devpod_;
   const Machine& machine_;
   Emulator& emulator_;
   std::string kind_, service_id_, host_end_;
   int forward_port_ = 0;
   std::unique_ptr<ChildProcess> forwarder_;
};

}  // namespace dpp::test::devpod

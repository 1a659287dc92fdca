// DevPod as the conformance suite and the demo use it: the steps a user takes (provider add,
// machine create, status, a command in the workspace, stop, start, delete), through the real
// DevPod CLI when one is at hand, else through the in-house driver that plays DevPod's part.
// Either way the in-house driver is there too for the checks of the provider's raw `command`
// contract that the real CLI cannot express (SIGINT during a command, delete of a deleted machine,
// the provider's own NotFound).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "support/devpod_driver.hpp"

namespace dpp::test::devpod {

// Which DevPod to use, from the environment:
//   DPP_E2E_DEVPOD=in-house   the in-house driver, even when a devpod is at hand
//   DPP_E2E_DEVPOD=real       the real CLI; an error when there is none
//   DPP_E2E_DEVPOD=auto or unset: the real CLI when find_devpod_binary() finds one
//                             ($DEVPOD_BIN, else PATH; DEVPOD_BIN=none turns it off), else in-house.
// A release build found on PATH is passed over: it makes the workspace download its agent from
// GitHub, which the emulator's workspaces cannot reach; a development build (v0.0.0) streams
// itself in through the provider's `command`. DEVPOD_BIN is used whatever its version.
struct DevPodChoice {
   std::optional<std::string> real_binary;  // nullopt: the in-house driver
   std::string real_version;                // `devpod version` of real_binary
   std::string in_house_reason;             // why not the real CLI
   std::string error;                       // a setting is wrong: say so rather than fall back
};
DevPodChoice choose_devpod();
// "real CLI /usr/bin/devpod (version v0.0.0)", "in-house driver: <reason>" or the error.
std::string describe(const DevPodChoice& choice);

class InHouseDevPod;

class DevPodClient {
 public:
   virtual ~DevPodClient() = default;

   virtual bool real() const = 0;
   // How exec strings run, for the step log.
   virtual std::string shell_text() const = 0;
   // The in-house driver on the same machines: for the provider's raw contract checks, and for
   // provider.yaml as DevPod resolves it (the agent's settings, the options' values).
   virtual const InHouseDevPod& contract() const = 0;
   const DevPodDriver& driver() const;

   // `devpod provider add`: the options resolved, then the provider's `init`.
   virtual ExecResult add_provider() const = 0;
   // A machine id (and its MACHINE_FOLDER) as `devpod up` makes one; nothing is created yet.
   virtual Machine new_machine(const std::string& hint) const = 0;
   virtual ExecResult create(const Machine& machine) const = 0;
   virtual ExecResult start(const Machine& machine) const = 0;
   virtual ExecResult stop(const Machine& machine) const = 0;
   // On success DevPod forgets the machine and removes MACHINE_FOLDER.
   virtual ExecResult remove(const Machine& machine) const = 0;
   virtual StatusResult status(const Machine& machine) const = 0;
   // Deletes whatever is left of the machine, also after a failed create or a Ctrl-C (not
   // interruptible).
   virtual ExecResult clean_up(const Machine& machine) const = 0;

   // `script` run in the workspace: the provider's `command` (in-house) or `devpod machine ssh
   // --command` (real, through DevPod's agent). A running session for interactive use, or one
   // run with `stdin_data` written and stdin closed.
   virtual std::unique_ptr<CommandSession> start_command(const Machine& machine,
                                                         const std::string& script) const = 0;
   ExecResult command(const Machine& machine, const std::string& script, const std::string& stdin_data = "",
                      std::chrono::milliseconds guard = std::chrono::minutes(10)) const;
   // `status` again every 2 s while Busy, as `devpod up` polls (poll_status_while_busy).
   StatusResult poll_while_busy(const Machine& machine, std::chrono::milliseconds guard,
                                const std::function<void(const StatusResult&)>& on_poll = {}) const;

 protected:
   // The verb a finished `command` is reported under.
   virtual std::string command_verb(const Machine& machine) const = 0;
};

// The client `choice` names, over the provider.yaml and options in `options` (its devpod_home
// is the DevPod home; the real CLI's HOME is the folder holding it).
std::unique_ptr<DevPodClient> make_devpod_client(const DevPodChoice& choice, const DriverOptions& options);

}  // namespace dpp::test::devpod

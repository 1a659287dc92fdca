// One independent set of fixtures that test cells run on, so that cells can run in parallel:
// its own emulator (faults and restarts act on a whole emulator), the stand-in sshd of its
// workspaces (`none` runner) and a provider harness with its own block of SSH ports. Plus the
// two questions every reliability cell asks: does the workspace work, and is anything left?
#pragma once

#include <memory>
#include <string>

#include "provider_harness.hpp"
#include "support/emulator.hpp"
#include "workspace_stand_in.hpp"

namespace dpp::test::reliability {

struct LaneOptions {
   EmulatorOptions emulator;  // runner "none" gets a stand-in; "workspace" is real
   ProviderSettings provider;
};

class Lane {
 public:
   explicit Lane(LaneOptions options);
   ~Lane();

   Emulator& emulator() { return *emulator_; }
   WorkspaceStandIn* stand_in() { return stand_in_.get(); }
   ProviderHarness& provider() { return *provider_; }

   // "" when `status` says Running and a `command` runs on the workspace as its user;
   // otherwise what went wrong.
   std::string check_works(const Machine& machine, const RunOptions& options = {});
   // "" when nothing of the machine is in the emulator (services, workspaces) and no stand-in
   // serves it; otherwise what is left.
   std::string check_nothing_left(const Machine& machine);
   // `delete`, then check_nothing_left and that the state file is gone; "" or what failed.
   std::string delete_and_check(const Machine& machine, const RunOptions& options = {});

 private:
   std::unique_ptr<Emulator> emulator_;
   std::unique_ptr<WorkspaceStandIn> stand_in_;
   std::unique_ptr<ProviderHarness> provider_;
};

}  // namespace dpp::test::reliability

// The backend: a "workspace" is an existing machine reachable over SSH. create checks that it
// answers with the pinned host key and records it; status reports whether it answers; delete
// forgets it. The machine's power is not this backend's to control, so start and stop say so.
#pragma once

#include <dpp/cpp/plugin.hpp>

#include <optional>

#include "machine_settings.hpp"

namespace ssh_machine {

class SshMachineBackend final : public dpp::sdk::Backend {
 public:
   SshMachineBackend(dpp::sdk::Host host, const dpp::sdk::Options& options);

   void check(dpp::sdk::CheckReport& report) override;
   dpp::sdk::WorkspaceInfo create(const dpp::sdk::WorkspaceSpec& spec) override;
   dpp::sdk::WorkspaceInfo start(const dpp::sdk::WorkspaceSpec& spec) override;
   void stop(const std::string& machine_id) override;
   void remove(const std::string& machine_id, bool keep_volumes) override;
   dpp::sdk::WorkspaceInfo status(const std::string& machine_id) override;

 private:
   // The machine recorded by create, or nullopt when this machine id has none.
   std::optional<MachineSettings> recorded() const;
   void record(const MachineSettings& machine) const;
   // DPP_OK when `machine` answers SSH (with its pinned key when the host can check that);
   // `detail` says what was found.
   dpp_status reachable(const MachineSettings& machine, std::string& detail) const;
   dpp::sdk::WorkspaceInfo info(const MachineSettings& machine, int32_t state,
                                const std::string& detail) const;

   dpp::sdk::Host host_;
   MachineSettings settings_;
};

}  // namespace ssh_machine

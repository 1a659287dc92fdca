// The real DevPod CLI behind the DevPodClient steps (`devpod provider add`, `devpod machine …`)
// with a throw-away DEVPOD_HOME, and beside it the in-house driver, on the same machines, for
// the provider's raw contract checks.
#pragma once

#include <string>
#include <vector>

#include "support/devpod_cli.hpp"
#include "support/devpod_client_in_house.hpp"

namespace dpp::test::devpod {

class RealDevPod : public DevPodClient {
 public:
   // DEVPOD_HOME is `options.devpod_home`; the in-house driver keeps its own home beside it and
   // reaches the same machines through their MACHINE_FOLDER.
   RealDevPod(const std::string& binary, const DriverOptions& options);

   bool real() const override { return true; }
   std::string shell_text() const override { return "DevPod's shell (bash -c, else sh -c)"; }
   const InHouseDevPod& contract() const override { return contract_; }
   const DevPodCli& cli() const { return cli_; }

   ExecResult add_provider() const override;
   Machine new_machine(const std::string& hint) const override;
   ExecResult create(const Machine& machine) const override;
   ExecResult start(const Machine& machine) const override { return machine_verb("start", machine); }
   ExecResult stop(const Machine& machine) const override { return machine_verb("stop", machine); }
   ExecResult remove(const Machine& machine) const override { return machine_verb("delete", machine); }
   StatusResult status(const Machine& machine) const override;
   ExecResult clean_up(const Machine& machine) const override;
   std::unique_ptr<CommandSession> start_command(const Machine& machine,
                                                 const std::string& script) const override;

 protected:
   std::string command_verb(const Machine& machine) const override {
      return "devpod machine ssh " + machine.id + " --command";
   }

 private:
   ExecResult machine_verb(const std::string& verb, const Machine& machine) const;
   // `devpod <args>` (with --debug when asked for), cancelled by the owner's Ctrl-C.
   ExecResult run(std::vector<std::string> args) const;

   DriverOptions options_;
   DevPodCli cli_;
   InHouseDevPod contract_;
};

}  // namespace dpp::test::devpod

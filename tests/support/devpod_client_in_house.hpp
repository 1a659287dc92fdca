// The in-house DevPod driver behind the DevPodClient steps: every verb is the provider's exec,
// run exactly as DevPod runs it (DevPodDriver).
#pragma once

#include <string>

#include "support/devpod_client.hpp"

namespace dpp::test::devpod {

class InHouseDevPod : public DevPodClient {
 public:
   explicit InHouseDevPod(const DriverOptions& options) : driver_(options) {}

   bool real() const override { return false; }
   std::string shell_text() const override { return driver_.shell() + " -c"; }
   const InHouseDevPod& contract() const override { return *this; }
   const DevPodDriver& in_house_driver() const { return driver_; }

   ExecResult add_provider() const override { return driver_.init(); }
   Machine new_machine(const std::string& hint) const override { return driver_.new_machine(hint); }
   ExecResult create(const Machine& machine) const override { return driver_.create(machine); }
   ExecResult start(const Machine& machine) const override { return driver_.start(machine); }
   ExecResult stop(const Machine& machine) const override { return driver_.stop(machine); }
   ExecResult remove(const Machine& machine) const override { return driver_.remove(machine); }
   StatusResult status(const Machine& machine) const override { return driver_.status(machine); }
   ExecResult clean_up(const Machine& machine) const override;
   std::unique_ptr<CommandSession> start_command(const Machine& machine,
                                                 const std::string& script) const override {
      return driver_.start_command(machine, script);
   }

 protected:
   std::string command_verb(const Machine&) const override { return "command"; }

 private:
   DevPodDriver driver_;
};

}  // namespace dpp::test::devpod

// One machine of the real tier driven by the real DevPod CLI: a throw-away DEVPOD_HOME, the
// provider added from this build's provider-dev.yaml, and `devpod machine …` steps, each timed
// and printed (never asserted on time). Whatever was created is deleted when it goes away.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "real_world.hpp"
#include "support/devpod_cli.hpp"
#include "support/temp_dir.hpp"

namespace dpp::test::real {

class RealMachine {
 public:
   // `hint` ([a-z0-9]) starts the machine's name; `options` are added to the world's base options.
   RealMachine(const std::string& hint, const std::map<std::string, std::string>& options, int port_base);
   ~RealMachine();
   RealMachine(const RealMachine&) = delete;
   RealMachine& operator=(const RealMachine&) = delete;

   const std::string& id() const { return id_; }
   const devpod::DevPodCli& cli() const { return *cli_; }
   const std::map<std::string, std::string>& options() const { return options_; }

   // `devpod provider add` (DevPod runs the provider's init).
   devpod::CliResult add_provider();
   // `devpod machine <verb>` for create/start/stop/delete.
   devpod::CliResult machine(const std::string& verb);
   devpod::MachineState state(std::string* error = nullptr) const;
   devpod::CliResult ssh(const std::string& command,
                         const std::optional<std::string>& stdin_data = std::nullopt);
   // `devpod machine ssh --command` with the file at `stdin_path` on its stdin (large data).
   devpod::CliResult ssh_with_stdin_file(const std::string& command, const std::string& stdin_path);

   // The provider's `verb` run directly, with the environment DevPod gives it for this machine
   // plus `extra` (what DevPod would pass if its options reached an existing machine).
   ProcessResult provider(const std::string& verb,
                          const std::map<std::string, std::string>& extra = {}) const;

   // From now on the destructor deletes a DevPod *workspace* of this id (`devpod delete
   // --force`, which deletes the machine DevPod made for it) instead of the machine alone.
   void own_workspace() {
      workspace_ = true;
      created_ = true;
   }
   // Marks the machine as gone, so that the destructor does not delete it again.
   void forget() { created_ = false; }

 private:
   devpod::CliResult timed(const std::string& step, const std::function<devpod::CliResult()>& body);

   TempDir home_;
   std::string id_;
   std::map<std::string, std::string> options_;
   std::unique_ptr<devpod::DevPodCli> cli_;
   bool created_ = false;
   bool workspace_ = false;
};

// A window of 20 SSH ports starting at `base`, for DOKPLOY_SSH_PORT_RANGE ("base-base+19").
std::string port_window(int base);

}  // namespace dpp::test::real

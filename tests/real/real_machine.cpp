// One machine of the real tier.
#include "real_machine.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <iostream>

#include "support/devpod_provider.hpp"
#include "support/emulator.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::real {

std::string port_window(int base) {
   return std::to_string(base) + "-" + std::to_string(base + 19);
}

RealMachine::RealMachine(const std::string& hint, const std::map<std::string, std::string>& options,
                         int port_base)
    : home_("dpp-real"), id_(hint.substr(0, 10) + "-" + random_hex(2)) {
   const RealWorld& world = RealWorld::get();
   options_ = world.base_options(port_window(port_base));
   for (const auto& [name, value] : options) options_[name] = value;
   cli_ = std::make_unique<devpod::DevPodCli>(world.devpod(), home_.path());
}

RealMachine::~RealMachine() {
   if (!created_) return;
   // A workspace first (DevPod deletes the machine it made for one); then the machine, which
   // is already gone unless the workspace ran on a machine made beforehand.
   if (workspace_) {
      const devpod::CliResult removed =
          cli_->run({"delete", id_, "--force"}, std::nullopt, std::chrono::minutes(10));
      if (!removed.ok()) ADD_FAILURE() << "cleanup: " << removed.describe();
   }
   if (cli_->machine_state(id_) == devpod::MachineState::not_found) return;
   const devpod::CliResult removed = cli_->machine("delete", id_);
   if (!removed.ok()) ADD_FAILURE() << "cleanup: " << removed.describe();
}

devpod::CliResult RealMachine::timed(const std::string& step,
                                     const std::function<devpod::CliResult()>& body) {
   const devpod::CliResult result = body();
   std::cout << "[real " << id_ << "] " << step << ": " << (result.ok() ? "ok" : "FAILED") << " in "
             << result.process.seconds << " s\n"
             << std::flush;
   return result;
}

devpod::CliResult RealMachine::add_provider() {
   const std::string yaml = devpod::dev_provider_yaml(provider_path(), home_.path());
   return timed("provider add", [&] { return cli_->add_provider(yaml, "dokploy", options_); });
}

devpod::CliResult RealMachine::machine(const std::string& verb) {
   if (verb == "create") created_ = true;  // a failed create may still leave something to delete
   const devpod::CliResult result =
       timed("machine " + verb, [&] { return cli_->machine(verb, id_, verb == "create" ? "dokploy" : ""); });
   if (verb == "delete" && result.ok()) created_ = false;
   return result;
}

devpod::MachineState RealMachine::state(std::string* error) const {
   return cli_->machine_state(id_, error);
}

devpod::CliResult RealMachine::ssh(const std::string& command, const std::optional<std::string>& stdin_data) {
   return timed("machine ssh", [&] { return cli_->ssh(id_, command, stdin_data); });
}

ProcessResult RealMachine::provider(const std::string& verb,
                                    const std::map<std::string, std::string>& extra) const {
   EnvMap env = current_environment();
   for (const auto& [name, value] : options_) env[name] = value;
   for (const auto& [name, value] : extra) env[name] = value;
   env["MACHINE_ID"] = id_;
   env["MACHINE_FOLDER"] = cli_->home() + "/.devpod/contexts/default/machines/" + id_;
   return run_process({.argv = {provider_path(), verb}, .env = env}, std::chrono::minutes(12));
}

devpod::CliResult RealMachine::ssh_with_stdin_file(const std::string& command,
                                                   const std::string& stdin_path) {
   const int in = ::open(stdin_path.c_str(), O_RDONLY | O_CLOEXEC);
   if (in < 0) throw std::runtime_error("cannot open " + stdin_path);
   const devpod::CliResult result = timed("machine ssh < " + stdin_path, [&] {
      return cli_->run_with_descriptors({"machine", "ssh", id_, "--command", command}, in, -1);
   });
   ::close(in);
   return result;
}

}  // namespace dpp::test::real

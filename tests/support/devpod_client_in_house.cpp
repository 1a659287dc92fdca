// The in-house DevPod driver as a DevPodClient.
#include "support/devpod_client_in_house.hpp"

#include <filesystem>

namespace dpp::test::devpod {

ExecResult InHouseDevPod::clean_up(const Machine& machine) const {
   // DevPod hands `delete` an existing MACHINE_FOLDER; a Ctrl-C that already happened must not
   // cancel the clean-up as well.
   std::filesystem::create_directories(machine.folder);
   DriverOptions options = driver_.options();
   options.interrupted = nullptr;
   return DevPodDriver(options).remove(machine);
}

}  // namespace dpp::test::devpod

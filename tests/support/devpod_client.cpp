// Which DevPod the suite and the demo use, and what both clients share.
#include "support/devpod_client.hpp"

#include <cstdlib>
#include <stdexcept>

#include "support/devpod_cli.hpp"
#include "support/devpod_client_in_house.hpp"
#include "support/devpod_client_real.hpp"
#include "support/temp_dir.hpp"

namespace dpp::test::devpod {

namespace {

// The version of DevPod's development builds (pkg/version DevVersion).
constexpr const char* kDevelopmentVersion = "v0.0.0";

std::string devpod_version(const std::string& binary) {
   const TempDir home("dpp-devpod-version");
   return DevPodCli(binary, home.path()).version();
}

}  // namespace

DevPodChoice choose_devpod() {
   const char* mode_value = std::getenv("DPP_E2E_DEVPOD");
   const std::string mode = mode_value && *mode_value ? mode_value : "auto";
   if (mode != "auto" && mode != "real" && mode != "in-house")
      return {.error = "DPP_E2E_DEVPOD=" + mode + " is not one of auto, real, in-house"};
   if (mode == "in-house") return {.in_house_reason = "DPP_E2E_DEVPOD=in-house"};
   const char* configured = std::getenv("DEVPOD_BIN");
   const bool explicit_binary = configured && *configured && std::string(configured) != "none";
   std::string why;
   const auto binary = find_devpod_binary(&why);
   if (!binary && explicit_binary)
      return {.error =
                  why + ": set DEVPOD_BIN to a devpod binary, or DEVPOD_BIN=none for the in-house driver"};
   if (!binary && mode == "real")
      return {.error = "DPP_E2E_DEVPOD=real, but " + why + ": set DEVPOD_BIN to a devpod binary"};
   if (!binary) return {.in_house_reason = why};
   const std::string version = devpod_version(*binary);
   if (!explicit_binary && mode == "auto" && version != kDevelopmentVersion)
      return {.in_house_reason =
                  *binary + " is DevPod " + version +
                  ", a release build: it has the workspace download its agent from GitHub, which the "
                  "emulator's workspaces cannot reach (set DEVPOD_BIN to a development build, or to this "
                  "one to try anyway)"};
   return {.real_binary = *binary, .real_version = version};
}

std::string describe(const DevPodChoice& choice) {
   if (!choice.error.empty()) return choice.error;
   if (choice.real_binary)
      return "real CLI " + *choice.real_binary + " (version " +
             (choice.real_version.empty() ? "unknown" : choice.real_version) + ")";
   return "in-house driver: " + choice.in_house_reason;
}

const DevPodDriver& DevPodClient::driver() const {
   return contract().in_house_driver();
}

ExecResult DevPodClient::command(const Machine& machine, const std::string& script,
                                 const std::string& stdin_data, std::chrono::milliseconds guard) const {
   const auto session = start_command(machine, script);
   ExecResult result = feed_and_wait(*session, stdin_data, guard);
   result.verb = command_verb(machine);
   return result;
}

StatusResult DevPodClient::poll_while_busy(const Machine& machine, std::chrono::milliseconds guard,
                                           const std::function<void(const StatusResult&)>& on_poll) const {
   return poll_status_while_busy([&] { return status(machine); }, guard, on_poll);
}

std::unique_ptr<DevPodClient> make_devpod_client(const DevPodChoice& choice, const DriverOptions& options) {
   if (!choice.error.empty()) throw std::runtime_error(choice.error);
   if (choice.real_binary) return std::make_unique<RealDevPod>(*choice.real_binary, options);
   return std::make_unique<InHouseDevPod>(options);
}

}  // namespace dpp::test::devpod

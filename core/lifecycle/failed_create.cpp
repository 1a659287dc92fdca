// Records and describes a failed create (failed_create.hpp).
#include "lifecycle/failed_create.hpp"

#include <chrono>
#include <ctime>

#include "logging/logging.hpp"
#include "util/text.hpp"

namespace dpp::core {
namespace {

// A reason is one line of an error message; a long one is cut (the create printed it whole).
constexpr std::size_t kMaxReason = 400;

int64_t now_ms() {
   return std::chrono::duration_cast<std::chrono::milliseconds>(
              std::chrono::system_clock::now().time_since_epoch())
       .count();
}

// "2025-06-01 10:11:12 +0200": local time, as the person who ran `devpod up` saw it.
std::string local_time_text(int64_t ms) {
   const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
   std::tm local{};
   if (!::localtime_r(&seconds, &local)) return std::to_string(ms / 1000) + " (seconds since 1970)";
   char text[40];
   if (std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S %z", &local) == 0)
      return std::to_string(ms / 1000);
   return text;
}

std::string what_to_run(const MachineState& state) {
   return "run `devpod up` to create it, or `devpod machine delete " + state.machine_id() + "`";
}

}  // namespace

void record_failed_create(MachineState& state, const std::string& reason) {
   std::string line = printable_text(redact(reason));
   if (line.size() > kMaxReason) line = line.substr(0, kMaxReason) + "…";
   state.failed_create = FailedCreate{now_ms(), line};
   try {
      state.save();
   } catch (const std::exception& e) {
      log().warn("cannot record the failed create in {}: {}", state.path(), e.what());
   }
}

std::string failed_create_message(const MachineState& state) {
   const FailedCreate& failed = state.failed_create.value();
   return "the create of workspace " + state.machine_id() + " failed at " + local_time_text(failed.at_ms) +
          " (" + failed.reason + "); " + what_to_run(state);
}

std::string never_created_message(const MachineState& state) {
   return "workspace " + state.machine_id() + " was never created from " + state.folder() +
          " (no state file there); " + what_to_run(state);
}

}  // namespace dpp::core

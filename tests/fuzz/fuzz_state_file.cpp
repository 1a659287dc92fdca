// Fuzzes the machine state file (core/state/machine_state): whoever can write MACHINE_FOLDER
// can put anything there. Any bytes give either a state or the reason it is unusable (a newer
// format: ProviderError), never a crash or undefined behaviour; a usable state serializes to a
// file that reads back to the same state.
#include <cstddef>
#include <cstdint>
#include <string>

#include "errors.hpp"
#include "fuzz_support.hpp"
#include "state/machine_state.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
   using dpp::fuzz::shown;
   const std::string text(reinterpret_cast<const char*>(data), size);
   dpp::core::MachineState state("/nonexistent/fuzz", "fuzz-machine");
   std::optional<std::string> reason;
   try {
      reason = state.parse(text);
   } catch (const dpp::core::ProviderError& e) {
      FUZZ_CHECK(std::string(e.what()).find("newer dokploy-provider") != std::string::npos, e.what());
      return 0;
   }
   if (reason) return 0;
   const std::string written = state.serialize();
   dpp::core::MachineState again("/nonexistent/fuzz", "fuzz-machine");
   const auto second = again.parse(written);
   FUZZ_CHECK(!second, "its own file is unusable (" + second.value_or("") + "): " + shown(written));
   FUZZ_CHECK(again.serialize() == written, "the state changed on a round trip: " + shown(written));
   return 0;
}

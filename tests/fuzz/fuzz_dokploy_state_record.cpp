// Fuzzes the Dokploy backend's record in the machine state (plugins/dokploy/machine_record): the
// state file is the host's, but its "service" value is whatever was on disk. Loading never throws;
// a record it accepts belongs to the asked server, names a kind it knows, and carries the port the
// value says (not one wrapped into 16 bits).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "fuzz_support.hpp"
#include "json_util.hpp"
#include "machine_record.hpp"

namespace {

std::string g_value;

dpp_status state_get(const dpp_host*, const char*, char* buffer, size_t capacity, size_t* needed,
                     dpp_error*) {
   if (needed) *needed = g_value.size() + 1;
   if (!buffer || capacity < g_value.size() + 1) return DPP_E_BUFFER_TOO_SMALL;
   std::memcpy(buffer, g_value.c_str(), g_value.size() + 1);
   return DPP_OK;
}

void log(const dpp_host*, int32_t, const char* message) {
   FUZZ_CHECK(message != nullptr, "NULL log line");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
   using dpp::fuzz::shown;
   // The host only stores UTF-8 without NUL (dpp_host.state_set refuses the rest).
   g_value.assign(reinterpret_cast<const char*>(data), size);
   if (g_value.find('\0') != std::string::npos) return -1;
   dpp_host host{};
   host.struct_size = sizeof host;
   host.abi_version = DPP_ABI_VERSION_INIT;
   host.log = &log;
   host.state_get = &state_get;
   const std::string server = "https://dokploy.example.com";
   const auto record = dpp::dokploy::MachineRecord::load(dpp::sdk::Host(&host), server);
   if (!record) return 0;
   FUZZ_CHECK(record->server_url == server, "accepted a record of " + shown(record->server_url));
   FUZZ_CHECK(!record->service_id.empty(), "accepted a record without a service id");
   const auto row = dpp::dokploy::json::as_object(dpp::dokploy::json::parse(g_value));
   const std::string port = dpp::dokploy::json::text(row, "sshPort");
   if (port.empty()) {
      FUZZ_CHECK(record->ssh_port == 0, "no sshPort was read as " + std::to_string(record->ssh_port));
   } else {
      // Decimal digits only ("0555" is 555: leading zeros change nothing), and exactly that number.
      FUZZ_CHECK(port.find_first_not_of("0123456789") == std::string::npos, "accepted the sshPort " + shown(port));
      const std::string digits = port.substr(std::min(port.find_first_not_of('0'), port.size() - 1));
      FUZZ_CHECK(std::to_string(record->ssh_port) == digits,
                 "sshPort " + shown(port) + " was read as " + std::to_string(record->ssh_port));
   }
   return 0;
}

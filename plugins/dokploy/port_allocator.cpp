// SSH port choice within the configured range.
#include "port_allocator.hpp"

#include <dpp/cpp/plugin.hpp>

#include <string>

namespace dpp::dokploy {

uint32_t machine_hash(std::string_view machine_id) {
   uint32_t hash = 2166136261u;
   for (char c : machine_id) {
      hash ^= static_cast<unsigned char>(c);
      hash *= 16777619u;
   }
   return hash;
}

uint16_t choose_port(std::string_view machine_id, uint16_t low, uint16_t high,
                     const std::set<uint16_t>& taken) {
   const uint32_t size = uint32_t{high} - low + 1;
   const uint32_t start = machine_hash(machine_id) % size;
   for (uint32_t step = 0; step < size; ++step) {
      const auto port = static_cast<uint16_t>(low + (start + step) % size);
      if (!taken.count(port)) return port;
   }
   throw dpp::sdk::Error(DPP_E_CONFLICT, "every SSH port of DOKPLOY_SSH_PORT_RANGE=" + std::to_string(low) +
                                             "-" + std::to_string(high) + " is taken (" +
                                             std::to_string(taken.size()) +
                                             " in use); widen the range or delete unused workspaces");
}

}  // namespace dpp::dokploy

// Picks a workspace's SSH port in DOKPLOY_SSH_PORT_RANGE: first the port the machine id hashes
// to, then the next free one, skipping ports our other workspaces hold and ports found taken.
#pragma once

#include <cstdint>
#include <set>
#include <string_view>

namespace dpp::dokploy {

// A stable 32-bit hash (FNV-1a) of the machine id: the same machine starts from the same port in
// every process, different machines spread over the range.
uint32_t machine_hash(std::string_view machine_id);

// The port for `machine_id` in [low, high] that is not in `taken`. Throws Error(DPP_E_CONFLICT)
// naming the range when every port is taken.
uint16_t choose_port(std::string_view machine_id, uint16_t low, uint16_t high,
                     const std::set<uint16_t>& taken);

}  // namespace dpp::dokploy

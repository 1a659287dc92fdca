// What a deleted workspace left behind, in real Dokploy and in its Docker engine: services of
// Dokploy's projects, Swarm services, containers, networks and volumes named after the machine.
#pragma once

#include <string>
#include <vector>

#include "real_world.hpp"

namespace dpp::test::real {

struct Leftovers {
   std::vector<std::string> dokploy_services;  // "application devpod-m1 (ssh 2301)"
   std::vector<std::string> swarm_services;
   std::vector<std::string> containers;
   std::vector<std::string> networks;
   std::vector<std::string> volumes;

   bool nothing_but_volumes() const;
   std::string describe() const;
};

// Everything named after `machine_id` ("devpod-<machine_id>", Dokploy's appName prefix).
Leftovers find_leftovers(const RealWorld& world, const std::string& machine_id);

// The Dokploy service of a machine: kind "application" or "compose" and its id; empty when none.
struct ServiceRef {
   std::string kind;
   std::string id;
};
ServiceRef find_service(const RealWorld& world, const std::string& machine_id);

// Removes named volumes that `find_leftovers` listed (after a test has looked at them).
void remove_volumes(const RealWorld& world, const std::vector<std::string>& volumes);

}  // namespace dpp::test::real

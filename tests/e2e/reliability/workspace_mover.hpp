// Moves a workspace to another published SSH port through Dokploy's API, the way another
// provider process (another DevPod client, or a start/create killed after the move) or a person
// in Dokploy's UI would: new port in the service's name and port mapping, then a deploy. The
// machine folder the test drives knows nothing of it.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "support/emulator.hpp"

namespace dpp::test::reliability {

// Moves `machine_id`'s only service to `port` and waits (up to 60 s) until its deploy is done.
// Throws std::runtime_error when it cannot.
void move_workspace(const Emulator& emulator, const std::string& machine_id, int port);

}  // namespace dpp::test::reliability

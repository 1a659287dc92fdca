// The requests a clean `create` makes, as points to inject a fault at ("the 2nd project.all"),
// the faults of the matrix (HTTP 500, 502, 503, 429 with Retry-After, a timeout, a dropped
// connection), and the emulator bookkeeping around one injected fault.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "support/emulator.hpp"

namespace dpp::test::reliability {

struct RequestPoint {
   int position = 0;           // 1-based, in the order the clean create sent them
   std::string procedure;      // "compose.create"
   int occurrence = 1;         // which call of that procedure (faults count calls per procedure)
   std::string label() const;  // "#3 project.create" or "#7 compose.one (2nd)"
};

// The emulator's request log of a clean create, as points.
std::vector<RequestPoint> request_points(const std::vector<nlohmann::json>& api_requests);

struct FaultKind {
   std::string name;  // column label: "500", "429+RA", "timeout", "drop", …
   nlohmann::json action;
};

// The six faults of the matrix; the timeout delays the answer by `http_timeout_ms` + 600 ms.
std::vector<FaultKind> matrix_faults(int http_timeout_ms);

// Adds a one-shot fault on the point's call; returns the fault's id.
std::string inject(const Emulator& emulator, const RequestPoint& point, const nlohmann::json& action);
// How often the fault fired so far.
int fired(const Emulator& emulator, const std::string& fault_id);
// Waits (up to `guard`) until the request the fault hit has been answered (or dropped): a
// delayed request still runs in the emulator after the client gave up on it, and whatever it
// makes must be counted before leftovers are.
bool wait_until_answered(const Emulator& emulator, const std::string& fault_id,
                         std::chrono::milliseconds guard);
// Waits (up to `guard`) until the fault fired.
bool wait_until_fired(const Emulator& emulator, const std::string& fault_id, std::chrono::milliseconds guard);

}  // namespace dpp::test::reliability

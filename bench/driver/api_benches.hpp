// The figures of the Dokploy API use: requests made by each verb, and `create` with 500 other
// services visible to the token against the same with none (two emulators, runs alternated).
#pragma once

#include "suite.hpp"

namespace dpp::bench {

void bench_requests_per_verb(Suite& suite, const Workspace& workspace);
void bench_create_scaling(Suite& suite);

}  // namespace dpp::bench

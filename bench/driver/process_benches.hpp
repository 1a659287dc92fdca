// The figures of short provider runs against their references, interleaved run by run so that a
// change of load on the shared machine hits both alike: `status` against `curl` of the same
// request (wall time, peak RSS), and `command true` per transport against `ssh … true`.
#pragma once

#include "suite.hpp"

namespace dpp::bench {

void bench_status(Suite& suite, const Workspace& workspace);
void bench_command_true(Suite& suite, const Workspace& workspace);

}  // namespace dpp::bench

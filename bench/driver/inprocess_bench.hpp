// Runs the Google Benchmark binary (bench/inprocess) on a real 500-service project.all answer
// and a real state file, and turns its repetitions into figures.
#pragma once

#include "suite.hpp"

namespace dpp::bench {

void bench_inprocess(Suite& suite, const Workspace& workspace);

}  // namespace dpp::bench

// The figures of data through `command`: bulk upload (stdin → `cat > /dev/null`) and download
// (`head -c N /dev/zero` → stdout) per transport against `ssh … cat` with the same cipher, the
// peak RSS during them, and the round trip of one line through a remote `cat`.
#pragma once

#include "suite.hpp"

namespace dpp::bench {

void bench_transfers(Suite& suite, const Workspace& workspace);
void bench_echo(Suite& suite, const Workspace& workspace);

}  // namespace dpp::bench

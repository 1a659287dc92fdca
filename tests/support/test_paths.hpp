// Where the build put what tests need, and small facts about the machine the tests run on.
#pragma once

#include <string>

namespace dpp::test {

std::string source_dir();     // the repository
std::string binary_dir();     // the build tree
std::string provider_path();  // build/…/bin/dokploy-provider
std::string plugin_dir();     // build/…/lib/dokploy-provider/plugins
std::string python();         // /usr/bin/python3 (Debian's, with jsonschema and yaml)
std::string emulator_script();

bool running_as_root();
// A TCP port on 127.0.0.1 that was free a moment ago.
int free_tcp_port(const std::string& address = "127.0.0.1");

}  // namespace dpp::test

// Skips the current test, printing "SKIPPED: <reason>" so the run shows why.
#define DPP_SKIP(reason)                                                  \
   do {                                                                   \
      std::fprintf(stderr, "SKIPPED: %s\n", std::string(reason).c_str()); \
      GTEST_SKIP() << (reason);                                           \
   } while (0)

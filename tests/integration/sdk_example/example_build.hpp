// The SDK installed with `cmake --install` into a prefix, and the example plugins of sdk/examples
// configured and built out of tree against it, as a third party would. Done once per test process;
// the folders live in the build tree so that later processes only rebuild what changed, and a
// file lock keeps concurrent test processes from building at the same time.
#pragma once

#include <string>
#include <vector>

namespace dpp::test::sdk_example {

struct ExampleBuild {
   std::string sdk_prefix;   // where the SDK was installed
   std::string plugin_file;  // dpp-<id>.so, as the example's install rule put it
   std::string plugin_folder;
   std::string sdk_dir_used;  // DokployProviderSDK_DIR the example's configure found
   std::string error;         // empty on success, else what failed with the commands' output
};

// sdk/examples/ssh-machine, the backend in C++ (org.example.ssh-machine). Builds it (or brings
// it up to date) and returns the result; never throws.
const ExampleBuild& example_build();

// sdk/examples/keyfile-auth, the auth strategy in C (org.example.keyfile), likewise.
const ExampleBuild& c_example_build();

// The dynamic symbols `plugin_file` defines, the linker's own _init/_fini aside.
std::vector<std::string> exported_symbols(const std::string& plugin_file);

// Installs the SDK component of this build into `prefix`; returns "" or the failure with output.
std::string install_sdk(const std::string& prefix);

// The folder this test binary keeps its persistent work in (inside the build tree).
std::string work_folder();

}  // namespace dpp::test::sdk_example

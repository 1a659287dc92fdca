// Loading and unloading each plugin leaks nothing: dpp_plugin_cycle (load, init, make and destroy
// every object, deinit, unload) runs under valgrind's full leak check for every plugin the build
// made. Skipped (with the reason) when valgrind is absent or the build is sanitized (valgrind
// cannot run AddressSanitizer's programs).
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <string>

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace dpp::test {
namespace {

std::string valgrind() {
   for (const char* candidate : {"/usr/bin/valgrind", "/usr/local/bin/valgrind"}) {
      struct stat info {};
      if (::stat(candidate, &info) == 0) return candidate;
   }
   return "";
}

bool sanitized_build() {
#if defined(__SANITIZE_ADDRESS__)
   return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
   return true;
#else
   return false;
#endif
#else
   return false;
#endif
}

struct PluginCase {
   std::string file;                  // in the plugin folder
   std::vector<std::string> options;  // NAME=value the plugin requires
};

void PrintTo(const PluginCase& c, std::ostream* out) {
   *out << c.file;
}

class PluginLeaks : public ::testing::TestWithParam<PluginCase> {};

TEST_P(PluginLeaks, LoadUseAndUnloadLeakNothingUnderValgrind) {
   if (sanitized_build()) DPP_SKIP("valgrind cannot run a program built with AddressSanitizer");
   const std::string tool = valgrind();
   if (tool.empty()) DPP_SKIP("valgrind is not installed (Debian package valgrind)");
   const std::string plugin = plugin_dir() + "/" + GetParam().file;
   struct stat info {};
   if (::stat(plugin.c_str(), &info) != 0) DPP_SKIP(GetParam().file + " is not built");
   TempDir folder("dpp-leak");
   std::vector<std::string> argv = {tool,
                                    "--leak-check=full",
                                    "--show-leak-kinds=definite,indirect,possible",
                                    "--errors-for-leak-kinds=definite,indirect,possible",
                                    "--error-exitcode=99",
                                    "--num-callers=30",
                                    DPP_PLUGIN_CYCLE,
                                    plugin,
                                    folder.path() + "/machine"};
   for (const auto& option : GetParam().options) argv.push_back(option);
   const ProcessResult result = run_process({.argv = argv}, std::chrono::minutes(10));
   EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
   EXPECT_NE(result.out.find("made and destroyed"), std::string::npos) << result.out << result.err;
   EXPECT_NE(result.err.find("ERROR SUMMARY: 0 errors"), std::string::npos) << result.err;
}

INSTANTIATE_TEST_SUITE_P(
    EveryPlugin, PluginLeaks,
    ::testing::Values(PluginCase{"dpp-dokploy.so",
                                 {"DOKPLOY_SERVER_URL=https://dokploy.invalid", "DOKPLOY_API_TOKEN=leak-check-token"}},
                      PluginCase{"dpp-libssh2.so", {}}, PluginCase{"dpp-system.so", {}},
                      PluginCase{"dpp-key.so", {}}, PluginCase{"dpp-password.so", {}}),
    [](const ::testing::TestParamInfo<PluginCase>& test_info) {
       std::string name = test_info.param.file.substr(4, test_info.param.file.size() - 7);
       for (char& c : name)
          if (c == '-' || c == '.') c = '_';
       return name;
    });

}  // namespace
}  // namespace dpp::test

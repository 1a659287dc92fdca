// docs/devpod.md shows the options table tools/options-table generates from provider.yaml.
#include <gtest/gtest.h>

#include "support/child_process.hpp"
#include "support/test_paths.hpp"

namespace dpp::test {

TEST(DevPodDocs, TheOptionsTableMatchesProviderYaml) {
   const ProcessResult check = run_process({.argv = {python(), source_dir() + "/tools/options-table",
                                                     "--check", source_dir() + "/docs/devpod.md"}});
   EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

TEST(DevPodDocs, TheOptionsTableListsEveryOptionOfProviderYaml) {
   const ProcessResult table = run_process({.argv = {python(), source_dir() + "/tools/options-table"}});
   ASSERT_EQ(table.exit_code, 0) << table.err;
   const ProcessResult names = run_process(
       {.argv = {python(), "-c",
                 "import yaml,sys; print('\\n'.join(yaml.safe_load(open(sys.argv[1]))['options']))",
                 source_dir() + "/provider.yaml"}});
   ASSERT_EQ(names.exit_code, 0) << names.err;
   std::size_t start = 0;
   while (start < names.out.size()) {
      const std::size_t end = names.out.find('\n', start);
      const std::string name = names.out.substr(start, end - start);
      if (!name.empty()) {
         EXPECT_NE(table.out.find("| `" + name + "` |"), std::string::npos) << name;
      }
      start = end == std::string::npos ? names.out.size() : end + 1;
   }
}

}  // namespace dpp::test

// docs/plugin-authoring.md followed literally: its files written and its shell commands run in
// order, as a reader would, in an empty home folder with dokploy-provider installed in a prefix.
// The guide's sample output must be what the commands print.
#include <gmock/gmock.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "example_build.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::sdk_example {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

struct Block {
   std::string language;  // "sh", "cpp", "text"…
   std::string file;      // from "file=PATH": the block is that file's content
   bool output = false;   // "output": what the commands before it print
   std::string body;
};

std::vector<Block> fenced_blocks(const std::string& markdown) {
   std::vector<Block> blocks;
   std::istringstream in(markdown);
   std::optional<Block> open;
   for (std::string line; std::getline(in, line);) {
      if (line.rfind("```", 0) == 0) {
         if (open) {
            blocks.push_back(*open);
            open.reset();
            continue;
         }
         Block block;
         std::istringstream info(line.substr(3));
         info >> block.language;
         for (std::string word; info >> word;) {
            if (word.rfind("file=", 0) == 0) block.file = word.substr(5);
            if (word == "output") block.output = true;
         }
         open = block;
         continue;
      }
      if (open) open->body += line + "\n";
   }
   return blocks;
}

// One POSIX sh script doing what the guide says, in its order: files are written where the
// reader's shell is at that point, commands run as typed.
std::string script_of(const std::vector<Block>& blocks) {
   std::string script = "set -eu\n";
   for (const auto& block : blocks) {
      if (!block.file.empty()) {
         script += "mkdir -p \"$(dirname '" + block.file + "')\"\n";
         script += "cat > '" + block.file + "' <<'DPP_GUIDE_END_OF_FILE'\n" + block.body +
                   "DPP_GUIDE_END_OF_FILE\n";
      } else if (block.language == "sh") {
         script += block.body;
      }
   }
   return script;
}

std::string read_text(const std::string& path) {
   std::ifstream in(path);
   std::stringstream buffer;
   buffer << in.rdbuf();
   return buffer.str();
}

TEST(AuthoringGuide, FollowedLiterallyItBuildsAPluginThatTheHostListsAndUses) {
   const std::string guide = read_text(source_dir() + "/docs/plugin-authoring.md");
   ASSERT_FALSE(guide.empty());
   const auto blocks = fenced_blocks(guide);
   ASSERT_GE(blocks.size(), 6u);

   // dokploy-provider installed in a prefix: the SDK by `cmake --install`, the program beside it.
   TempDir prefix("dpp-guide-prefix");
   ASSERT_EQ(install_sdk(prefix.path()), "");
   fs::create_directories(prefix.file("bin"));
   fs::copy_file(provider_path(), prefix.file("bin/dokploy-provider"));
   ::chmod(prefix.file("bin/dokploy-provider").c_str(), 0755);

   TempDir home("dpp-guide-home");
   ProcessOptions options;
   options.argv = {"/bin/sh", "-c", script_of(blocks)};
   options.env = EnvMap{{"HOME", home.path()},     {"PATH", "/usr/local/bin:/usr/bin:/bin"},
                        {"LANG", "C.UTF-8"},       {"PREFIX", prefix.path()},
                        {"CXX", DPP_CXX_COMPILER}, {"CC", DPP_C_COMPILER}};
   options.working_dir = home.path();
   const ProcessResult result = run_process(options, std::chrono::minutes(15));
   ASSERT_EQ(result.exit_code, 0) << "the guide's commands failed:\n" << result.out << result.err;

   // Its files are where it said, and the plugin landed in the folder it named.
   EXPECT_TRUE(fs::exists(home.file("hello-backend/src/hello_backend.cpp")));
   EXPECT_TRUE(fs::exists(home.file(".local/lib/dokploy-provider/plugins/dpp-com.example.hello.so")));
   // And the same backend in C, from the guide's C section.
   EXPECT_TRUE(fs::exists(home.file("hello-c/src/hello_c.c")));
   EXPECT_TRUE(fs::exists(home.file(".local/lib/dokploy-provider/plugins/dpp-com.example.hello-c.so")));

   // Every line of the guide's sample output was printed (the reader's home folder aside).
   int sample_lines = 0;
   for (const auto& block : blocks) {
      if (!block.output) continue;
      std::istringstream lines(block.body);
      for (std::string line; std::getline(lines, line);) {
         if (line.empty() || line.find("/home/you") != std::string::npos) continue;
         EXPECT_THAT(result.out, HasSubstr(line + "\n"))
             << "the guide shows output that the commands do not print";
         ++sample_lines;
      }
   }
   EXPECT_GT(sample_lines, 3);
   EXPECT_THAT(result.out, HasSubstr("  file: " + home.path() +
                                     "/.local/lib/dokploy-provider/plugins/dpp-com.example.hello.so\n"));
   // And the last command, `status`, printed exactly the word the guide says.
   EXPECT_TRUE(result.out.size() >= 9 && result.out.substr(result.out.size() - 9) == "NotFound\n")
       << result.out;
   EXPECT_THAT(guide, HasSubstr("It prints `NotFound`"));
}

}  // namespace
}  // namespace dpp::test::sdk_example

// The CLI tests' fixture.
#include "cli_fixture.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "support/test_paths.hpp"

namespace dpp::test::cli {

namespace fs = std::filesystem;

test::TempDir* CliTest::prefix_ = nullptr;

void CliTest::SetUpTestSuite() {
   prefix_ = new test::TempDir("dpp-cli-prefix");
   fs::create_directories(prefix_->file("bin"));
   fs::create_directories(plugin_folder());
   fs::copy_file(provider_path(), provider());
   ::chmod(provider().c_str(), 0755);
   const std::string fake = plugin_folder() + "/dpp-test.fake.so";
   fs::copy_file(DPP_CLI_FAKE_PLUGIN, fake);
   ::chmod(fake.c_str(), 0755);
}

void CliTest::TearDownTestSuite() {
   delete prefix_;
   prefix_ = nullptr;
}

std::string CliTest::provider() {
   return prefix_->file("bin/dokploy-provider");
}

std::string CliTest::plugin_folder() {
   return prefix_->file("lib/dokploy-provider/plugins");
}

EnvMap CliTest::base_environment() const {
   return {{"PATH", "/usr/bin:/bin"},
           {"HOME", dir_.path()},
           {"LANG", "C.UTF-8"},
           {"MACHINE_ID", "m1"},
           {"MACHINE_FOLDER", machine_folder()},
           {"DOKPLOY_BACKEND", "test.fake"},
           {"DOKPLOY_SSH_TRANSPORT", "test.fake"},
           {"DOKPLOY_SSH_AUTH", "test.fake"},
           {"FAKE_PROJECT", "cli-tests"}};
}

ProcessOptions CliTest::provider_run(const std::vector<std::string>& args, const EnvChanges& changes) const {
   ProcessOptions options;
   options.argv = {provider()};
   options.argv.insert(options.argv.end(), args.begin(), args.end());
   EnvMap env = base_environment();
   for (const auto& [name, value] : changes) {
      if (value)
         env[name] = *value;
      else
         env.erase(name);
   }
   options.env = env;
   options.working_dir = dir_.path();
   return options;
}

ProcessResult CliTest::run(const std::vector<std::string>& args, const EnvChanges& changes,
                           const std::optional<std::string>& stdin_data) const {
   ProcessOptions options = provider_run(args, changes);
   options.stdin_data = stdin_data;
   return run_process(options);
}

std::string CliTest::copy_plugin(const std::string& source, const std::string& folder,
                                 const std::string& name, unsigned mode) const {
   fs::create_directories(dir_.file(folder));
   const std::string target = dir_.file(folder + "/" + name);
   fs::copy_file(source, target, fs::copy_options::overwrite_existing);
   ::chmod(target.c_str(), mode);
   return target;
}

std::vector<std::string> lines_of(const std::string& text) {
   std::vector<std::string> lines;
   std::istringstream in(text);
   for (std::string line; std::getline(in, line);) lines.push_back(line);
   return lines;
}

std::string last_line(const std::string& text) {
   const auto lines = lines_of(text);
   return lines.empty() ? "" : lines.back();
}

}  // namespace dpp::test::cli

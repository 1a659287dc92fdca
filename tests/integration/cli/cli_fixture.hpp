// Runs the real dokploy-provider binary the way DevPod does (a fresh environment, a machine
// folder), from a private copy installed in a temp prefix so that the plugins beside it are
// exactly the test's: the fake plugin, and whatever a test adds.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "support/child_process.hpp"
#include "support/ssh_banner.hpp"
#include "support/temp_dir.hpp"

namespace dpp::test::cli {

// Environment changes for one run: a value sets the variable, nullopt removes it.
using EnvChanges = std::map<std::string, std::optional<std::string>>;

class CliTest : public ::testing::Test {
 protected:
   static void SetUpTestSuite();
   static void TearDownTestSuite();

   // The copy of dokploy-provider and its plugin folder (which holds dpp-test.fake.so).
   static std::string provider();
   static std::string plugin_folder();

   // The environment DevPod would give a verb of machine "m1" with the fake plugins selected.
   EnvMap base_environment() const;
   ProcessResult run(const std::vector<std::string>& args, const EnvChanges& changes = {},
                     const std::optional<std::string>& stdin_data = std::nullopt) const;
   // What run() starts: the provider with `args`, the base environment changed by `changes`, in
   // the test's folder (for a test that starts it its own way).
   ProcessOptions provider_run(const std::vector<std::string>& args, const EnvChanges& changes) const;

   // Copies a plugin file into `folder` of this test (created), mode `mode`; returns its path.
   std::string copy_plugin(const std::string& source, const std::string& folder, const std::string& name,
                           unsigned mode = 0755) const;

   std::string machine_folder() const { return dir_.file("machines/m1"); }
   test::TempDir dir_{"dpp-cli"};

 private:
   static test::TempDir* prefix_;
};

// The last line a failure printed: the one a person acts on.
std::string last_line(const std::string& text);
std::vector<std::string> lines_of(const std::string& text);

}  // namespace dpp::test::cli

// The SDK's plugin recipe, dokploy_provider_add_plugin(), as a third party meets it in a project
// of their own against the installed SDK: a plain C project builds dpp-<id>.so, and an id the
// host would refuse to load stops the configure step with the rule.
#include <gmock/gmock.h>

#include <filesystem>
#include <regex>

#include "example_build.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

namespace dpp::test::sdk_example {
namespace {

using ::testing::HasSubstr;

class PluginRecipe : public ::testing::Test {
 protected:
   void SetUp() override { ASSERT_EQ(example_build().error, ""); }

   // A C-only project whose one plugin has the id `id`; returns cmake's configure step.
   ProcessResult configure(const std::string& id) {
      project_.write("CMakeLists.txt",
                     "cmake_minimum_required(VERSION 3.25)\n"
                     "project(recipe LANGUAGES C)\n"
                     "find_package(DokployProviderSDK 1 REQUIRED)\n"
                     "dokploy_provider_add_plugin(recipe ID \"" +
                         id + "\" SOURCES plugin.c)\n");
      project_.write("plugin.c", "#include <dpp/dpp.h>\nint recipe_marker;\n");
      return run_process({.argv = {DPP_CMAKE_COMMAND, "-S", project_.path(), "-B", project_.file("build"),
                                   "-DCMAKE_PREFIX_PATH=" + example_build().sdk_prefix,
                                   "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF"}},
                         std::chrono::minutes(5));
   }

   TempDir project_{"dpp-recipe"};
};

TEST_F(PluginRecipe, PlainCProjectBuildsTheModuleNamedAfterTheId) {
   const ProcessResult configured = configure("com.example.c-only");
   ASSERT_EQ(configured.exit_code, 0) << configured.out << configured.err;
   const ProcessResult built =
       run_process({.argv = {DPP_CMAKE_COMMAND, "--build", project_.file("build")}}, std::chrono::minutes(5));
   ASSERT_EQ(built.exit_code, 0) << built.out << built.err;
   EXPECT_TRUE(std::filesystem::exists(project_.file("build/dpp-com.example.c-only.so")));
}

TEST_F(PluginRecipe, IdTheHostWouldRefuseStopsTheConfigureStepWithTheRule) {
   const ProcessResult configured = configure("Com.Example.Mine");
   EXPECT_NE(configured.exit_code, 0);
   // CMake wraps and indents the message's lines.
   const std::string said = std::regex_replace(configured.err, std::regex("\\s+"), " ");
   EXPECT_THAT(said, HasSubstr("ID 'Com.Example.Mine' is not a plugin id: 1 to 64 characters of a-z, 0-9, "
                               "'.', '_' and '-'"));
}

}  // namespace
}  // namespace dpp::test::sdk_example

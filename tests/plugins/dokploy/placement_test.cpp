// Where workspaces go: the configured project and environment, made when missing, and the
// oldest project when Dokploy holds several of the same name.
#include <gtest/gtest.h>

#include "dokploy_fixture.hpp"

namespace dpp::test::dokploy {
namespace {

class Placement : public DokployPluginTest {
 protected:
   // The environment (v0.25+) each of our services hangs off.
   std::vector<std::string> environments_of_ours() {
      std::vector<std::string> out;
      for (const auto& service : our_services(emulator())) out.push_back(service.value("environmentId", ""));
      return out;
   }
   std::string environment_named(const std::string& name) {
      const nlohmann::json state = emulator().state();
      for (const auto& env : state["environments"])
         if (env.value("name", "") == name) return env.value("environmentId", "");
      return "";
   }
};

TEST_F(Placement, NamedEnvironmentIsMadeOnceAndHoldsTheWorkspaces) {
   auto options = this->options();
   options["DOKPLOY_ENVIRONMENT_NAME"] = "devpod";
   for (const std::string machine : {"env-one", "env-two"}) {
      TestSpec spec = host_like_spec(machine);
      FakeHost& host = host_for(spec);
      BackendUnderTest backend(host, options);
      const CallResult result = backend.create(spec);
      ASSERT_TRUE(result.ok()) << result.message;
   }
   EXPECT_EQ(emulator().api_requests("environment.create").size(), 1u);
   const std::string devpod = environment_named("devpod");
   ASSERT_FALSE(devpod.empty());
   EXPECT_EQ(environments_of_ours(), (std::vector<std::string>{devpod, devpod}));
}

TEST_F(Placement, DefaultEnvironmentIsUsedWhenNoneIsNamed) {
   TestSpec spec = host_like_spec("default-env");
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, options());
   ASSERT_TRUE(backend.create(spec).ok());
   EXPECT_EQ(environments_of_ours(), (std::vector<std::string>{environment_named("production")}));
}

TEST_F(Placement, OldestOfSameNamedProjectsIsUsed) {
   const nlohmann::json older = emulator().api("project.create", {{"name", "devpod-workspaces"}});
   emulator().api("project.create", {{"name", "devpod-workspaces"}});
   TestSpec spec = host_like_spec("oldest");
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, options());
   ASSERT_TRUE(backend.create(spec).ok());
   EXPECT_EQ(environments_of_ours(),
             (std::vector<std::string>{older["environment"].value("environmentId", "")}));
}

TEST_F(Placement, DokployWithoutEnvironmentsPutsTheWorkspaceOnTheProject) {
   emulator().set_version("v0.24.3");
   auto options = this->options();
   options["DOKPLOY_ENVIRONMENT_NAME"] = "devpod";  // meaningless before v0.25: ignored
   TestSpec spec = host_like_spec("old-project");
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, options);
   const CallResult result = backend.create(spec);
   ASSERT_TRUE(result.ok()) << result.message;
   EXPECT_TRUE(emulator().api_requests("environment.create").empty());
   const auto creates = emulator().api_requests("compose.create");
   ASSERT_EQ(creates.size(), 1u);
   EXPECT_TRUE(creates[0]["body"].contains("projectId"));
   EXPECT_FALSE(creates[0]["body"].contains("environmentId"));
}

}  // namespace
}  // namespace dpp::test::dokploy

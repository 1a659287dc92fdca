// A Swarm routing mesh that does not forward (the application's task runs, its ingress-published
// SSH port refuses): create fails early with the fix and leaves nothing, doctor names the same fix
// for a workspace in that state, and start applies the fix.
#include <gtest/gtest.h>

#include <atomic>

#include "dokploy_fixture.hpp"

namespace dpp::test::dokploy {
namespace {

class Ingress : public DokployPluginTest {
 protected:
   void SetUp() override {
      DokployPluginTest::SetUp();
      emulator().set_ingress_routes(false);
   }
   std::map<std::string, std::string> application_options(const std::string& publish_mode = "ingress") {
      auto options = this->options();
      options["DOKPLOY_SERVICE_TYPE"] = "application";
      options["DOKPLOY_SSH_PUBLISH_MODE"] = publish_mode;
      return options;
   }
   static TestSpec application_spec(const std::string& machine_id) {
      TestSpec spec = host_like_spec(machine_id);
      spec.flags = 0;
      spec.timeout_ms = 60'000;
      return spec;
   }
   // An existing workspace in that state: its create failed on the unrouted port and kept the
   // service (DOKPLOY_KEEP_FAILED), whose task runs.
   FakeHost& kept_unrouted_workspace(const TestSpec& spec) {
      TestSpec keep = spec;
      keep.flags |= DPP_WORKSPACE_KEEP_FAILED;
      FakeHost& host = host_for(spec);
      BackendUnderTest backend(host, application_options());
      EXPECT_EQ(backend.create(keep).status, DPP_E_REMOTE);
      EXPECT_EQ(our_services(emulator()).size(), 1u) << "kept for inspection";
      return host;
   }
   static const CheckLine* line_named(const std::vector<CheckLine>& lines, const std::string& name) {
      for (const auto& line : lines)
         if (line.name == name) return &line;
      return nullptr;
   }
};

TEST_F(Ingress, MeshThatDoesNotForwardFailsCreateEarlyWithTheFixAndLeavesNothing) {
   const TestSpec spec = application_spec("mesh");
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, application_options());
   const CallResult result = backend.create(spec);
   EXPECT_EQ(result.status, DPP_E_REMOTE) << result.message;
   DPP_EXPECT_CONTAINS(result.message, "runs (its Swarm task: Running");
   DPP_EXPECT_CONTAINS(result.message, "refused every connection for");
   DPP_EXPECT_CONTAINS(result.message, "Swarm's routing mesh does not forward");
   DPP_EXPECT_CONTAINS(result.message, "set DOKPLOY_SSH_PUBLISH_MODE=host");
   EXPECT_TRUE(our_services(emulator()).empty()) << "rolled back like any failed create";
   EXPECT_TRUE(host.state().empty());
   // Probes come DOKPLOY_POLL_INTERVAL (100 ms) apart: the 60 s timeout would allow about 600.
   EXPECT_LE(host.endpoint_calls().size(), 40u);
   EXPECT_GE(host.endpoint_calls().size(), 20u) << "the verdict needs 20 refusals in a row";
}

// Dokploy v0.26 and older list a task's desired state only (no CurrentState): a task Swarm
// wants running counts as running, or the verdict would never come (seen on real v0.24.0/v0.26.0).
class IngressOnV026 : public Ingress {
 protected:
   EmulatorOptions emulator_options() const override {
      EmulatorOptions options;
      options.version = "v0.26.0";
      return options;
   }
};

TEST_F(IngressOnV026, TasksWithoutCurrentStateStillGiveTheEarlyFailure) {
   const TestSpec spec = application_spec("mesh26");
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, application_options());
   const CallResult result = backend.create(spec);
   EXPECT_EQ(result.status, DPP_E_REMOTE) << result.message;
   DPP_EXPECT_CONTAINS(result.message, "runs (its Swarm task: running)");
   DPP_EXPECT_CONTAINS(result.message, "set DOKPLOY_SSH_PUBLISH_MODE=host");
   EXPECT_TRUE(our_services(emulator()).empty()) << "rolled back like any failed create";
}

TEST_F(Ingress, HostPublishingWorksWhereTheMeshDoesNotForward) {
   const TestSpec spec = application_spec("hostmode");
   BackendUnderTest backend(host_for(spec), application_options("host"));
   const CallResult result = backend.create(spec);
   ASSERT_TRUE(result.ok()) << result.message;
   EXPECT_TRUE(backend.remove(spec.machine_id).ok());
}

TEST_F(Ingress, AnSshServerThatTakesAWhileToStartIsWaitedFor) {
   emulator().set_ingress_routes(true);
   const TestSpec spec = application_spec("slowsshd");
   FakeHost& host = host_for(spec);
   // The port refuses the first 15 probes (sshd still starting), then the workspace answers.
   auto answers = host.endpoint_check;
   auto refusals = std::make_shared<std::atomic<int>>(15);
   host.endpoint_check = [answers, refusals](const std::string& name, uint16_t port, const std::string& key,
                                             std::string& message) -> dpp_status {
      if (refusals->fetch_sub(1) > 0) {
         message = "connection refused by " + name;
         return DPP_E_CONNECT;
      }
      return answers(name, port, key, message);
   };
   BackendUnderTest backend(host, application_options());
   const CallResult result = backend.create(spec);
   ASSERT_TRUE(result.ok()) << result.message;
   EXPECT_TRUE(backend.remove(spec.machine_id).ok());
}

TEST_F(Ingress, DoctorNamesTheFixForAWorkspaceThatDoesNotRoute) {
   const TestSpec spec = application_spec("doctor");
   FakeHost& host = kept_unrouted_workspace(spec);
   BackendUnderTest backend(host, application_options());
   std::vector<CheckLine> lines;
   const CallResult result = backend.check(lines);
   EXPECT_EQ(result.status, DPP_E_REMOTE);
   const CheckLine* publishing = line_named(lines, "SSH port publishing");
   ASSERT_NE(publishing, nullptr);
   EXPECT_EQ(publishing->result, DPP_CHECK_FAIL);
   DPP_EXPECT_CONTAINS(publishing->message,
                       "published through Swarm's routing mesh (ingress mode), refused 3 "
                       "connections in a row: the mesh does not forward on this server");
   DPP_EXPECT_CONTAINS(publishing->fix, "set DOKPLOY_SSH_PUBLISH_MODE=host");
   EXPECT_TRUE(backend.remove(spec.machine_id).ok());
}

TEST_F(Ingress, StartWithHostPublishingBringsBackAWorkspaceThatDidNotRoute) {
   const TestSpec spec = application_spec("fixed");
   FakeHost& host = kept_unrouted_workspace(spec);
   BackendUnderTest backend(host, application_options("host"));
   const CallResult result = backend.start(spec);
   ASSERT_TRUE(result.ok()) << result.message;
   const auto ours = our_services(emulator());
   ASSERT_EQ(ours.size(), 1u);
   const nlohmann::json row =
       emulator().api("application.one", nullptr, "applicationId=" + ours[0].value("applicationId", ""));
   ASSERT_EQ(row["ports"].size(), 1u);
   EXPECT_EQ(row["ports"][0].value("publishMode", ""), "host");
   EXPECT_TRUE(backend.remove(spec.machine_id).ok());
}

TEST_F(Ingress, DoctorPassesAWorkspacePublishedOnItsNode) {
   const TestSpec spec = application_spec("doctor-ok");
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, application_options("host"));
   ASSERT_TRUE(backend.create(spec).ok());
   std::vector<CheckLine> lines;
   EXPECT_TRUE(backend.check(lines).ok());
   const CheckLine* publishing = line_named(lines, "SSH port publishing");
   ASSERT_NE(publishing, nullptr);
   EXPECT_EQ(publishing->result, DPP_CHECK_PASS);
   EXPECT_TRUE(backend.remove(spec.machine_id).ok());
}

}  // namespace
}  // namespace dpp::test::dokploy

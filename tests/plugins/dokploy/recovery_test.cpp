// Recovering from lost or corrupt machine state, from a Dokploy restart that lost the deploy job,
// and from failed deploys; status mapping of every service state.
#include <gtest/gtest.h>

#include <thread>

#include "dokploy_fixture.hpp"

namespace dpp::test::dokploy {
namespace {

class Recovery : public DokployPluginTest {};

TEST_F(Recovery, LostStateIsRecoveredByOneLookupAndRememberedAgain) {
   TestSpec spec = host_like_spec("lost");
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, options());
   const CallResult made = backend.create(spec);
   ASSERT_TRUE(made.ok()) << made.message;
   emulator().seed(50);

   host.set_state({});
   emulator().clear_requests();
   CallResult status = backend.status(spec.machine_id);
   ASSERT_TRUE(status.ok()) << status.message;
   EXPECT_EQ(status.info.state, DPP_WORKSPACE_RUNNING);
   EXPECT_EQ(status.info.ssh_port, made.info.ssh_port);
   EXPECT_STREQ(status.info.ssh_host, "127.0.0.1");
   EXPECT_EQ(describe_counts(request_counts(emulator())), "project.all 1");

   emulator().clear_requests();
   status = backend.status(spec.machine_id);
   EXPECT_EQ(status.info.state, DPP_WORKSPACE_RUNNING);
   EXPECT_EQ(describe_counts(request_counts(emulator())), "compose.one 1");
}

TEST_F(Recovery, CorruptStateIsIgnoredAndTheServiceFoundByName) {
   TestSpec spec = host_like_spec("corrupt");
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, options());
   ASSERT_TRUE(backend.create(spec).ok());
   host.set_state({{"service", "{\"kind\": \"compose\", \"id\": "}});
   const CallResult status = backend.status(spec.machine_id);
   ASSERT_TRUE(status.ok()) << status.message;
   EXPECT_EQ(status.info.state, DPP_WORKSPACE_RUNNING);
}

TEST_F(Recovery, StateOfAServiceDeletedInDokployFallsBackToTheName) {
   TestSpec spec = host_like_spec("deleted-behind");
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, options());
   ASSERT_TRUE(backend.create(spec).ok());
   const std::string id = our_services(emulator())[0].value("composeId", "");
   emulator().api("compose.delete", {{"composeId", id}, {"deleteVolumes", true}});
   const CallResult status = backend.status(spec.machine_id);
   ASSERT_TRUE(status.ok()) << status.message;
   EXPECT_EQ(status.info.state, DPP_WORKSPACE_NOT_FOUND);
   EXPECT_TRUE(host.state().empty());
}

TEST_F(Recovery, CreateWithLostStateAdoptsTheExistingService) {
   TestSpec spec = host_like_spec("adopt");
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, options());
   const CallResult made = backend.create(spec);
   ASSERT_TRUE(made.ok());
   host.set_state({});
   emulator().clear_requests();
   const CallResult again = backend.create(spec);
   ASSERT_TRUE(again.ok()) << again.message;
   EXPECT_EQ(again.info.ssh_port, made.info.ssh_port);
   EXPECT_EQ(our_services(emulator()).size(), 1u);
   EXPECT_TRUE(emulator().api_requests("compose.create").empty());
   EXPECT_TRUE(emulator().api_requests("compose.deploy").empty());
}

TEST_F(Recovery, CreateWithAChangedSpecConvergesAndRedeploys) {
   TestSpec spec = host_like_spec("converge");
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, options());
   ASSERT_TRUE(backend.create(spec).ok());
   spec.env.emplace_back("DPP_EXTRA", "new value");
   emulator().clear_requests();
   const CallResult again = backend.create(spec);
   ASSERT_TRUE(again.ok()) << again.message;
   EXPECT_EQ(emulator().api_requests("compose.update").size(), 1u);
   EXPECT_EQ(emulator().api_requests("compose.deploy").size(), 1u);
   const auto ours = our_services(emulator());
   ASSERT_EQ(ours.size(), 1u);
   const nlohmann::json workspace = workspace_of(emulator(), ours[0].value("appName", ""));
   bool found = false;
   for (const auto& pair : workspace["spec"]["env"])
      found |= pair[0] == "DPP_EXTRA" && pair[1] == "new value";
   EXPECT_TRUE(found);
}

TEST_F(Recovery, StartRedeploysAFailedWorkspace) {
   emulator().add_fault(
       {{"procedure", "compose.deploy"}, {"nth", 1}, {"action", {{"deploy_error", "image not found"}}}});
   TestSpec spec = host_like_spec("phoenix");
   spec.flags |= DPP_WORKSPACE_KEEP_FAILED;
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, options());
   EXPECT_FALSE(backend.create(spec).ok());
   EXPECT_EQ(backend.status(spec.machine_id).info.state, DPP_WORKSPACE_FAILED);
   const CallResult started = backend.start(spec);
   ASSERT_TRUE(started.ok()) << started.message;
   EXPECT_EQ(started.info.state, DPP_WORKSPACE_RUNNING);
   EXPECT_EQ(backend.status(spec.machine_id).info.state, DPP_WORKSPACE_RUNNING);
}

TEST_F(Recovery, StartOfADeployedWorkspaceWhosePortIsSilentRedeploys) {
   TestSpec spec = host_like_spec("silent");
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, options());
   ASSERT_TRUE(backend.create(spec).ok());
   auto real = host.endpoint_check;
   auto calls = std::make_shared<int>(0);
   host.endpoint_check = [real, calls](const std::string& h, uint16_t port, const std::string& key,
                                       std::string& message) -> dpp_status {
      if ((*calls)++ == 0) {
         message = "connection refused";
         return DPP_E_CONNECT;
      }
      return real(h, port, key, message);
   };
   emulator().clear_requests();
   const CallResult started = backend.start(spec);
   ASSERT_TRUE(started.ok()) << started.message;
   EXPECT_EQ(emulator().api_requests("compose.deploy").size(), 1u);
}

TEST_F(Recovery, MissingWorkspaceCannotBeStartedOrStoppedButIsDeletedQuietly) {
   TestSpec spec = host_like_spec("ghost");
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, options());
   EXPECT_EQ(backend.start(spec).status, DPP_E_NOT_FOUND);
   EXPECT_EQ(backend.stop(spec.machine_id).status, DPP_E_NOT_FOUND);
   EXPECT_TRUE(backend.remove(spec.machine_id).ok());
}

TEST_F(Recovery, UnknownStatusOfANewerDokployReadsAsStopped) {
   TestSpec spec = host_like_spec("paused");
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, options());
   ASSERT_TRUE(backend.create(spec).ok());
   const auto ours = our_services(emulator());
   emulator().add_fault({{"procedure", "compose.one"},
                         {"nth", 1},
                         {"action",
                          {{"status", 200},
                           {"body",
                            {{"composeId", ours[0]["composeId"]},
                             {"name", ours[0]["name"]},
                             {"appName", ours[0]["appName"]},
                             {"composeStatus", "paused"},
                             {"deployments", nlohmann::json::array()}}}}}});
   const CallResult status = backend.status(spec.machine_id);
   ASSERT_TRUE(status.ok()) << status.message;
   EXPECT_EQ(status.info.state, DPP_WORKSPACE_STOPPED);
   DPP_EXPECT_CONTAINS(host.log_text(), "unknown service status 'paused'");
}

TEST_F(Recovery, DeployInProgressIsBusy) {
   TestSpec spec = host_like_spec("busy");
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, options());
   ASSERT_TRUE(backend.create(spec).ok());
   const auto ours = our_services(emulator());
   emulator().add_fault({{"procedure", "compose.one"},
                         {"nth", 1},
                         {"action",
                          {{"status", 200},
                           {"body",
                            {{"composeId", ours[0]["composeId"]},
                             {"name", ours[0]["name"]},
                             {"composeStatus", "running"}}}}}});
   EXPECT_EQ(backend.status(spec.machine_id).info.state, DPP_WORKSPACE_BUSY);
}

// Dokploy v0.29.9+ keeps its deploy queue in memory: a restart drops queued jobs and resets
// the service to idle. create must notice and deploy again.
class SlowQueue : public DokployPluginTest {
 protected:
   EmulatorOptions emulator_options() const override {
      EmulatorOptions options;
      options.queue_delay_ms = 1500;
      return options;
   }
};

TEST_F(SlowQueue, DokployRestartThatLostTheQueuedJobIsRedeployed) {
   TestSpec spec = host_like_spec("restarted");
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, options());
   std::thread restart([&] {
      while (emulator().api_requests("compose.deploy").empty())
         std::this_thread::sleep_for(std::chrono::milliseconds(20));
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      const nlohmann::json lost = emulator().restart();
      std::printf("restart lost: %s\n", lost.dump().c_str());
   });
   const CallResult result = backend.create(spec);
   restart.join();
   ASSERT_TRUE(result.ok()) << result.message << "\n" << host.log_text();
   EXPECT_EQ(emulator().api_requests("compose.deploy").size(), 2u);
   DPP_EXPECT_CONTAINS(host.log_text(), "lost the deploy");
}

}  // namespace
}  // namespace dpp::test::dokploy

// Dokploy restarted while `create` waits for its deploy: since v0.29.9 the deploy queue lives in
// memory, so a restart loses the queued or running job, cancels its deployment and resets the
// service to idle (before, BullMQ ran the job again). create must notice and deploy again
// within DOKPLOY_CREATE_TIMEOUT, and end with a working workspace.
#include <gtest/gtest.h>

#include <cstdio>
#include <thread>

#include "lane.hpp"
#include "leftovers.hpp"
#include "requirements.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::reliability {
namespace {

using namespace std::chrono_literals;

struct RestartCase {
   std::string name;
   std::string kind;
   std::string version;
   int queue_delay_ms;
   int deploy_duration_ms;
   bool while_running;  // restart once the job runs (else while it is queued)
   bool jobs_lost;      // v0.29.9+: the in-memory queue loses the job
};

void PrintTo(const RestartCase& c, std::ostream* out) {
   *out << c.name;
}

class DokployRestart : public ::testing::TestWithParam<RestartCase> {};

std::string service_status(const Emulator& emulator, const std::string& machine_id) {
   for (const auto& service : emulator.services())
      if (service.value("name", "").rfind("devpod-" + machine_id + " (ssh ", 0) == 0)
         return service.value(service.contains("composeId") ? "composeStatus" : "applicationStatus", "");
   return "";
}

TEST_P(DokployRestart, CreateNoticesTheLostDeployAndDeploysAgain) {
   const std::string missing = missing_requirement();
   if (!missing.empty()) DPP_SKIP(missing);
   const RestartCase& param = GetParam();
   LaneOptions options;
   options.emulator.version = param.version;
   options.emulator.queue_delay_ms = param.queue_delay_ms;
   options.emulator.deploy_duration_ms = param.deploy_duration_ms;
   options.provider.service_type = param.kind;
   options.provider.create_timeout = "3m";
   Lane lane(options);
   const Machine machine = lane.provider().new_machine("restart-" + param.kind.substr(0, 3));
   const std::string deploy = param.kind == "compose" ? "compose.deploy" : "application.deploy";

   RunningVerb create = lane.provider().start("create", machine);
   const auto started = std::chrono::steady_clock::now();
   // Hang guards only (a broken create would otherwise keep the test waiting).
   const auto guard = started + 60s;
   while (lane.emulator().api_requests(deploy).empty() && std::chrono::steady_clock::now() < guard)
      std::this_thread::sleep_for(10ms);
   ASSERT_FALSE(lane.emulator().api_requests(deploy).empty()) << create.read_err();
   if (param.while_running) {
      while (service_status(lane.emulator(), machine.id) != "running" &&
             std::chrono::steady_clock::now() < guard)
         std::this_thread::sleep_for(10ms);
      ASSERT_EQ(service_status(lane.emulator(), machine.id), "running");
   }
   const nlohmann::json restarted = lane.emulator().restart();
   std::printf("  Dokploy %s restarted %.2f s into create (%s): %s\n", param.version.c_str(),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
               param.while_running ? "job running" : "job queued", restarted.dump().c_str());
   EXPECT_EQ(restarted["lostJobs"].empty(), !param.jobs_lost);

   const std::optional<int> exit = create.process->wait_for(4min);
   std::printf("  create ended with exit %d after %.2f s, %zu deploys requested\n", exit.value_or(-1),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
               lane.emulator().api_requests(deploy).size());
   ASSERT_TRUE(exit.has_value()) << "create hung after the restart";
   ASSERT_EQ(*exit, 0) << create.read_err();
   if (param.jobs_lost) {
      EXPECT_EQ(lane.emulator().api_requests(deploy).size(), 2u) << "one deploy lost, one more";
      EXPECT_NE(create.read_err().find("deploying again"), std::string::npos) << create.read_err();
   } else {
      EXPECT_EQ(lane.emulator().api_requests(deploy).size(), 1u) << "the requeued job needs no second deploy";
   }
   EXPECT_EQ(lane.check_works(machine), "");
   EXPECT_EQ(services_of(lane.emulator(), machine.id).size(), 1u);
   EXPECT_EQ(lane.delete_and_check(machine), "");
   for (const auto& leak : lane.provider().token_leaks()) ADD_FAILURE() << leak;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, DokployRestart,
    ::testing::Values(
        RestartCase{"compose_job_queued_v0_30", "compose", "v0.30.2", 1500, 50, false, true},
        RestartCase{"application_job_running_v0_30", "application", "v0.30.2", 50, 2500, true, true},
        RestartCase{"compose_job_running_v0_26_bullmq", "compose", "v0.26.7", 50, 2500, true, false}),
    [](const ::testing::TestParamInfo<RestartCase>& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace dpp::test::reliability

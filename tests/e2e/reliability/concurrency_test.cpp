// Twenty `create`s of different machines at once, against real Debian workspaces, then twenty
// `delete`s at once: all succeed, every workspace answers on a port of its own, and afterwards
// nothing is left — no service, no workspace, no runner process, no provider process.
#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <thread>

#include "lane.hpp"
#include "leftovers.hpp"
#include "process_probe.hpp"
#include "requirements.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::reliability {
namespace {

using namespace std::chrono_literals;

constexpr int kMachines = 20;

// The runner's state folder, from the emulator's command line: every process the runner
// starts carries DPP_WORKSPACE_RUNNER=<it> in its environment.
std::string runner_state_dir(pid_t emulator) {
   const std::vector<std::string> argv = command_line(emulator);
   for (std::size_t i = 0; i + 1 < argv.size(); ++i)
      if (argv[i] == "--runner-state-dir") return argv[i + 1];
   return "";
}

int port_from(const std::string& create_output) {
   const std::string key = "DEVPOD_MACHINE_PORT=";
   const auto at = create_output.find(key);
   return at == std::string::npos ? 0 : std::atoi(create_output.c_str() + at + key.size());
}

// Runs `work(i)` for every machine at once and returns the seconds each took.
template <typename Work>
void all_at_once(const char* what, Work work) {
   const auto started = std::chrono::steady_clock::now();
   std::vector<std::thread> threads;
   for (int i = 0; i < kMachines; ++i) threads.emplace_back([&, i] { work(i); });
   for (auto& thread : threads) thread.join();
   std::printf("  %d %s at once: %.2f s in all\n", kMachines, what,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
}

TEST(Concurrency, TwentyCreatesThenTwentyDeletesOfDifferentMachinesLeaveNothing) {
   const std::string missing = missing_requirement({.workspace_runner = true});
   if (!missing.empty()) DPP_SKIP(missing);
   LaneOptions options;
   options.emulator.runner = "workspace";
   options.emulator.queue_delay_ms = 100;
   options.emulator.deploy_duration_ms = 100;
   // 20 deploys queue behind one another in the emulator's single worker: the bound is generous.
   options.provider.create_timeout = "8m";
   options.provider.poll_interval = "1s";
   Lane lane(options);
   ProviderHarness& provider = lane.provider();
   provider.set_verbose(false);
   const std::string runner_dir = runner_state_dir(lane.emulator().pid());
   ASSERT_FALSE(runner_dir.empty());

   std::vector<Machine> machines;
   std::vector<RunOptions> kinds(kMachines);
   for (int i = 0; i < kMachines; ++i) {
      machines.push_back(provider.new_machine("many-" + std::to_string(i)));
      // Half of them applications (Swarm-like services), half compose services.
      kinds[i].overrides["DOKPLOY_SERVICE_TYPE"] = i % 2 ? "application" : "compose";
      kinds[i].guard = 10min;
   }
   std::vector<ProcessResult> created(kMachines);
   all_at_once("creates", [&](int i) { created[i] = provider.run("create", machines[i], kinds[i]); });
   std::set<int> ports;
   for (int i = 0; i < kMachines; ++i) {
      std::printf("    create %-8s %-11s exit %d in %6.2f s, port %d\n", machines[i].id.c_str(),
                  kinds[i].overrides["DOKPLOY_SERVICE_TYPE"].c_str(), created[i].exit_code,
                  created[i].seconds, port_from(created[i].out));
      EXPECT_EQ(created[i].exit_code, 0) << machines[i].id << ": " << tail_lines(created[i].err, 20);
      ports.insert(port_from(created[i].out));
   }
   EXPECT_EQ(ports.size(), static_cast<std::size_t>(kMachines)) << "two workspaces share a port";
   EXPECT_FALSE(ports.count(0));

   std::vector<std::string> works(kMachines);
   all_at_once("status + command checks", [&](int i) { works[i] = lane.check_works(machines[i], kinds[i]); });
   for (int i = 0; i < kMachines; ++i) EXPECT_EQ(works[i], "") << machines[i].id;

   std::vector<std::string> deleted(kMachines);
   all_at_once("deletes", [&](int i) { deleted[i] = lane.delete_and_check(machines[i], kinds[i]); });
   for (int i = 0; i < kMachines; ++i) EXPECT_EQ(deleted[i], "") << machines[i].id;

   for (const auto& service : lane.emulator().services())
      EXPECT_NE(service.value("name", "").rfind("devpod-", 0), 0u) << "left behind: " << service.dump();
   const nlohmann::json workspaces = lane.emulator().workspaces();  // items() keeps no temporary alive
   for (const auto& [key, workspace] : workspaces.items())
      EXPECT_EQ(workspace.value("state", ""), "missing") << "left behind: " << key << " " << workspace.dump();
   // The runner stops a workspace's processes (and its forwarders) when it is removed; give the
   // last ones a moment to be reaped.
   std::vector<pid_t> runner_processes;
   const auto deadline = std::chrono::steady_clock::now() + 15s;
   do {
      runner_processes = processes_with_environment("DPP_WORKSPACE_RUNNER=" + runner_dir);
      for (pid_t pid : descendants_of(lane.emulator().pid())) runner_processes.push_back(pid);
      if (runner_processes.empty()) break;
      std::this_thread::sleep_for(200ms);
   } while (std::chrono::steady_clock::now() < deadline);
   EXPECT_TRUE(runner_processes.empty()) << "runner processes left:" << describe_processes(runner_processes);
   const auto providers = provider.live_providers();
   EXPECT_TRUE(providers.empty()) << "providers left:" << describe_processes(providers);
   for (const auto& leak : provider.token_leaks()) ADD_FAILURE() << leak;
}

}  // namespace
}  // namespace dpp::test::reliability

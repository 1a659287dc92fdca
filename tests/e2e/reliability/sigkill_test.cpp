// SIGKILL at every stage of `create`: the provider is killed (the process alone, as DevPod's
// SIGKILL 2 s after SIGINT does) while it waits for each request of a clean create (held there
// by a delay on that request), while it waits for SSH, and at random moments. After every kill
// the state file is absent or whole (never half-written), `status` answers one word, and then
// either the next `create` converges to a working workspace or `delete` removes everything.
#include <gtest/gtest.h>

#include <signal.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <random>
#include <thread>

#include "crash_points.hpp"
#include "lane.hpp"
#include "leftovers.hpp"
#include "outcome_table.hpp"
#include "parallel_cells.hpp"
#include "process_probe.hpp"
#include "requirements.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::reliability {
namespace {

enum class StageKind { request, ssh_wait, random_moment };
enum class FollowUp { create, remove };

struct Stage {
   std::string kind;  // compose | application
   StageKind type = StageKind::request;
   RequestPoint point;                   // request stages
   std::chrono::milliseconds offset{0};  // random moments: time after the start
   std::string label() const {
      if (type == StageKind::request) return kind + " during " + point.label();
      if (type == StageKind::ssh_wait) return kind + " waiting for SSH";
      return kind + " at +" + std::to_string(offset.count()) + " ms";
   }
};

struct Cell {
   Stage stage;
   FollowUp follow_up;
   std::string machine_id;
   std::string name() const {
      return stage.label() + (follow_up == FollowUp::create ? " → create" : " → delete");
   }
};

RunOptions options_for(const std::string& kind) {
   RunOptions options;
   options.overrides["DOKPLOY_SERVICE_TYPE"] = kind;
   // Both transports meet a kill: the system one runs ssh-keyscan children while probing.
   options.overrides["DOKPLOY_SSH_TRANSPORT"] = kind == "compose" ? "libssh2" : "system";
   return options;
}

std::string describe_state(const StateFileCheck& state) {
   if (!state.present) return "absent";
   if (!state.whole()) return "BROKEN";
   return state.text.find("\"endpoint\"") != std::string::npos ? "complete" : "record";
}

// Kills the provider at the cell's stage; returns what the kill left: "<state>/<status word>".
std::string run_cell(Lane& lane, const Cell& cell, CellFailures& failures, OutcomeTable& table) {
   Emulator& emulator = lane.emulator();
   ProviderHarness& provider = lane.provider();
   WorkspaceStandIn& stand_in = *lane.stand_in();
   emulator.reset();
   const Machine machine = provider.new_machine(cell.machine_id);
   const RunOptions options = options_for(cell.stage.kind);
   const std::string column = cell.follow_up == FollowUp::create ? "then create" : "then delete";
   auto fail = [&](const std::string& what) {
      failures.add(cell.name(), what);
      table.set(cell.stage.label(), column, "FAIL");
      return std::string("FAIL");
   };

   std::string fault;
   if (cell.stage.type == StageKind::request) fault = inject(emulator, cell.stage.point, {{"delay_ms", 800}});
   if (cell.stage.type == StageKind::ssh_wait) stand_in.suspend(machine.id);

   RunningVerb create = provider.start("create", machine, options);
   bool reached = true;
   if (cell.stage.type == StageKind::request) {
      // Until the delayed request arrives; a create that ends first never sent it (a poll the
      // clean run needed and this one did not).
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      while (!(reached = fired(emulator, fault) > 0) && create.process->alive() &&
             std::chrono::steady_clock::now() < deadline)
         std::this_thread::sleep_for(std::chrono::milliseconds(10));
   } else if (cell.stage.type == StageKind::ssh_wait) {
      // Deployed and running in Dokploy, so create is in its SSH wait; give it a few probes.
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      while (workspaces_of(emulator, machine.id).empty() && std::chrono::steady_clock::now() < deadline)
         std::this_thread::sleep_for(std::chrono::milliseconds(20));
      std::this_thread::sleep_for(std::chrono::milliseconds(400));
   } else {
      std::this_thread::sleep_for(cell.stage.offset);
   }
   const bool was_alive = create.process->alive();
   ::kill(create.process->pid(), SIGKILL);  // the provider alone, not its process group
   const std::optional<int> ended = create.process->wait_for(std::chrono::seconds(30));
   if (!reached) {
      table.set(cell.stage.label(), column, "not reached");
      emulator.clear_faults();
      const std::string deleted = lane.delete_and_check(machine, options);
      return deleted.empty() ? "not reached" : fail(deleted);
   }
   if (!ended) return fail("the provider did not die of SIGKILL");
   if (!was_alive && cell.stage.type != StageKind::random_moment)
      return fail("create had already ended (exit " + std::to_string(*ended) + ") before the kill");
   if (!fault.empty() && !wait_until_answered(emulator, fault, std::chrono::seconds(30)))
      return fail("the delayed request never finished in the emulator");
   emulator.clear_faults();
   stand_in.resume(machine.id);

   // The kill left no process behind: the transports' children die with their parent.
   const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
   std::vector<pid_t> orphans;
   do {
      orphans = provider.live_providers();
      for (pid_t pid : ssh_clients_for_ports(provider.port_low(), provider.port_high()))
         orphans.push_back(pid);
      if (orphans.empty()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
   } while (std::chrono::steady_clock::now() < deadline);
   if (!orphans.empty()) return fail("processes outlived the killed provider:" + describe_processes(orphans));

   const StateFileCheck state = check_state_file(machine.folder, machine.id);
   if (!state.whole()) return fail("the state file is half-written or unusable: " + *state.problem);
   std::string state_text = describe_state(state);
   if (!state.temp_files.empty()) state_text += "+tmp";

   const ProcessResult status = provider.run("status", machine, options);
   const std::string word = trimmed(status.out);
   if (status.exit_code != 0 ||
       (word != "Running" && word != "Busy" && word != "Stopped" && word != "NotFound"))
      return fail("status after the kill: exit " + std::to_string(status.exit_code) + ", stdout '" +
                  status.out + "': " + tail_lines(status.err, 4));
   const std::string killed = (was_alive ? "" : "(ended) ") + state_text + "/" + word;

   if (cell.follow_up == FollowUp::create) {
      const ProcessResult again = provider.run("create", machine, options);
      if (again.exit_code != 0) return fail("the next create failed: " + tail_lines(again.err, 8));
      const std::string works = lane.check_works(machine, options);
      if (!works.empty()) return fail("the next create does not work: " + works);
      const auto services = services_of(emulator, machine.id);
      if (services.size() != 1)
         table.set(cell.stage.label(), "notes",
                   std::to_string(services.size()) + " services after the next create");
   }
   const std::string deleted = lane.delete_and_check(machine, options);
   if (!deleted.empty()) return fail(deleted);
   const StateFileCheck after = check_state_file(machine.folder, machine.id);
   if (!after.temp_files.empty())
      table.set(cell.stage.label(), "notes", "temporary state files left: " + join_lines(after.temp_files));
   table.set(cell.stage.label(), column,
             killed + (cell.follow_up == FollowUp::create ? " → ok" : " → clean"));
   return killed;
}

TEST(Sigkill, CreateKilledAtEveryStageConvergesOrIsDeletedWithoutTrace) {
   const std::string missing = missing_requirement({.system_ssh = true});
   if (!missing.empty()) DPP_SKIP(missing);
   std::vector<std::unique_ptr<Lane>> lanes;
   for (int i = 0; i < 3; ++i) {
      LaneOptions options;
      options.emulator.queue_delay_ms = 50;
      options.emulator.deploy_duration_ms = 50;
      lanes.push_back(std::make_unique<Lane>(options));
      lanes.back()->provider().set_verbose(false);
   }
   std::vector<Cell> cells;
   std::mt19937 random(std::random_device{}());
   for (const std::string kind : {"compose", "application"}) {
      // The clean run: its requests are the stages, its duration spreads the random moments.
      Lane& lane = *lanes.front();
      lane.emulator().reset();
      const Machine machine = lane.provider().new_machine("kill-seq-" + kind.substr(0, 3));
      const ProcessResult clean = lane.provider().run("create", machine, options_for(kind));
      ASSERT_EQ(clean.exit_code, 0) << clean.err;
      const std::vector<RequestPoint> points = request_points(lane.emulator().api_requests());
      ASSERT_EQ(lane.delete_and_check(machine, options_for(kind)), "");
      std::printf("a clean %s create: %zu requests in %.2f s\n", kind.c_str(), points.size(), clean.seconds);
      std::vector<Stage> stages;
      for (const auto& point : points) stages.push_back({kind, StageKind::request, point, {}});
      stages.push_back({kind, StageKind::ssh_wait, {}, {}});
      const auto span = static_cast<int>(clean.seconds * 1000);
      for (int i = 0; i < 6; ++i) {
         std::uniform_int_distribution<int> jitter(0, std::max(1, span / 6));
         stages.push_back(
             {kind, StageKind::random_moment, {}, std::chrono::milliseconds(span * i / 6 + jitter(random))});
      }
      for (std::size_t s = 0; s < stages.size(); ++s)
         for (FollowUp follow_up : {FollowUp::create, FollowUp::remove}) {
            char id[48];
            std::snprintf(id, sizeof id, "k-%c-%02zu-%c", kind[0], s,
                          follow_up == FollowUp::create ? 'c' : 'd');
            cells.push_back({stages[s], follow_up, id});
         }
   }
   OutcomeTable table("killed during \\ then", {"then create", "then delete", "notes"});
   for (const auto& cell : cells) table.add_row(cell.stage.label());
   std::vector<Lane*> lane_pointers;
   for (auto& lane : lanes) lane_pointers.push_back(lane.get());
   CellFailures failures;
   run_cells(
       lane_pointers, cells.size(), [&](std::size_t i) { return cells[i].name(); },
       [&](Lane& lane, std::size_t i) { run_cell(lane, cells[i], failures, table); }, failures);
   std::cout
       << "\nSIGKILL stages (cell: state file after the kill / status word → outcome of the next verb;\n"
       << "state: absent, record = the backend's service record only, complete = with the endpoint):\n";
   table.print(std::cout);
   failures.report();
   for (auto& lane : lanes)
      for (const auto& leak : lane->provider().token_leaks()) ADD_FAILURE() << leak;
}

}  // namespace
}  // namespace dpp::test::reliability

// The crash-point matrix: for every request a clean `create` makes (discovered from the
// emulator's request log, for both service kinds), one fault at a time — HTTP 500, 502, 503,
// 429 with Retry-After, a timeout, a dropped connection. Afterwards either the workspace exists
// and works (status Running, a command runs) or nothing of it is left in Dokploy; a second
// create converges; delete leaves nothing. Prints the matrix with every cell's outcome.
#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <iostream>
#include <map>
#include <memory>

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

// DOKPLOY_HTTP_TIMEOUT for these runs: small, so that a timeout cell costs a second, not 30.
constexpr int kHttpTimeoutMs = 1000;

LaneOptions matrix_lane(const std::string& runner) {
   LaneOptions options;
   options.emulator.runner = runner;
   options.emulator.queue_delay_ms = 50;
   options.emulator.deploy_duration_ms = 50;
   options.provider.http_timeout = std::to_string(kHttpTimeoutMs) + "ms";
   options.provider.create_timeout = "3m";
   return options;
}

RunOptions of_kind(const std::string& kind) {
   RunOptions options;
   options.overrides["DOKPLOY_SERVICE_TYPE"] = kind;
   return options;
}

// The requests of a clean create of `kind` on a fresh Dokploy (the project is made too).
std::vector<RequestPoint> discover(Lane& lane, const std::string& kind) {
   lane.emulator().reset();
   const Machine machine = lane.provider().new_machine("seq-" + kind.substr(0, 3));
   const ProcessResult created = lane.provider().run("create", machine, of_kind(kind));
   if (created.exit_code != 0) throw std::runtime_error("a clean create failed: " + tail_lines(created.err));
   std::vector<RequestPoint> points = request_points(lane.emulator().api_requests());
   const std::string works = lane.check_works(machine, of_kind(kind));
   if (!works.empty()) throw std::runtime_error("a clean create does not work: " + works);
   const std::string deleted = lane.delete_and_check(machine, of_kind(kind));
   if (!deleted.empty()) throw std::runtime_error("a clean delete: " + deleted);
   return points;
}

struct Cell {
   std::string kind;
   RequestPoint point;
   FaultKind fault;
   std::string machine_id;
   std::string row() const { return kind + " " + point.label(); }
   std::string name() const { return row() + " × " + fault.name; }
};

// One cell: a fresh Dokploy, one fault, create, then the verdict. Returns the outcome text.
std::string run_cell(Lane& lane, const Cell& cell, CellFailures& failures) {
   Emulator& emulator = lane.emulator();
   ProviderHarness& provider = lane.provider();
   emulator.reset();
   const Machine machine = provider.new_machine(cell.machine_id);
   const RunOptions kind = of_kind(cell.kind);
   const std::string fault = inject(emulator, cell.point, cell.fault.action);
   const ProcessResult created = provider.run("create", machine, kind);
   const bool reached = fired(emulator, fault) > 0;
   if (reached && !wait_until_answered(emulator, fault, std::chrono::seconds(30)))
      failures.add(cell.name(), "the faulted request never finished in the emulator");
   emulator.clear_faults();
   auto fail = [&](const std::string& what) {
      failures.add(cell.name(), what + "\n--- create's stderr:\n" + tail_lines(created.err, 20));
      return std::string("FAIL");
   };
   for (const auto& error : emulator.schema_errors())
      failures.add(cell.name(), "schema error: " + error.dump());
   if (created.timed_out) return fail("create hung");

   const StateFileCheck state = check_state_file(machine.folder, machine.id);
   if (!state.whole()) return fail("state file unusable after create: " + *state.problem);
   if (!state.temp_files.empty()) return fail("temporary state files left: " + join_lines(state.temp_files));

   std::string outcome;
   if (created.exit_code == 0) {
      if (created.out.find("DEVPOD_MACHINE_PORT=") == std::string::npos)
         return fail("create succeeded without printing DEVPOD_MACHINE_PORT");
      const std::string works = lane.check_works(machine, kind);
      if (!works.empty()) return fail("create succeeded but the workspace does not work: " + works);
      // A second service of the machine (a create retried after its lost answer, landing late)
      // would be an orphan for as long as the workspace lives.
      const auto services = services_of(emulator, machine.id);
      if (services.size() != 1)
         return fail("create left " + std::to_string(services.size()) + " services: " + join_lines(services));
      outcome = "ok";
   } else {
      if (created.exit_code != 1)
         return fail("create failed with exit " + std::to_string(created.exit_code) + ", not 1");
      if (trimmed(created.err).empty()) return fail("create failed without a message");
      const std::string left = lane.check_nothing_left(machine);
      if (!left.empty()) return fail("create failed and left " + left);
      const ProcessResult again = provider.run("create", machine, kind);
      if (again.exit_code != 0) return fail("the second create failed too: " + tail_lines(again.err, 6));
      const std::string works = lane.check_works(machine, kind);
      if (!works.empty()) return fail("the second create does not work: " + works);
      outcome = "failed clean→2nd ok";
   }
   if (!reached) outcome = "not reached (" + outcome + ")";
   const std::string deleted = lane.delete_and_check(machine, kind);
   if (!deleted.empty()) return fail(deleted);
   return outcome;
}

void run_matrix(
    const std::vector<std::string>& kinds, const std::string& runner, std::size_t lane_count,
    const std::function<bool(const std::string&, const RequestPoint&, const FaultKind&)>& chosen) {
   std::vector<std::unique_ptr<Lane>> lanes;
   for (std::size_t i = 0; i < lane_count; ++i) {
      lanes.push_back(std::make_unique<Lane>(matrix_lane(runner)));
      lanes.back()->provider().set_verbose(false);
   }
   const std::vector<FaultKind> faults = matrix_faults(kHttpTimeoutMs);
   std::vector<std::string> columns;
   for (const auto& fault : faults) columns.push_back(fault.name);
   OutcomeTable table("request of create \\ fault", columns);
   std::vector<Cell> cells;
   for (const auto& kind : kinds) {
      const std::vector<RequestPoint> points = discover(*lanes.front(), kind);
      std::printf("a clean %s create (%s runner) makes %zu requests:", kind.c_str(), runner.c_str(),
                  points.size());
      for (const auto& point : points) std::printf(" %s", point.procedure.c_str());
      std::printf("\n");
      for (const auto& point : points) {
         for (std::size_t f = 0; f < faults.size(); ++f) {
            if (!chosen(kind, point, faults[f])) continue;
            table.add_row(kind + " " + point.label());
            char id[48];
            std::snprintf(id, sizeof id, "cp-%c-%02d-%zu", kind[0], point.position, f);
            cells.push_back({kind, point, faults[f], id});
         }
      }
   }
   std::vector<Lane*> lane_pointers;
   for (auto& lane : lanes) lane_pointers.push_back(lane.get());
   CellFailures failures;
   run_cells(
       lane_pointers, cells.size(), [&](std::size_t i) { return cells[i].name(); },
       [&](Lane& lane, std::size_t i) {
          table.set(cells[i].row(), cells[i].fault.name, run_cell(lane, cells[i], failures));
       },
       failures);
   std::cout << "\nCrash-point matrix (" << runner
             << " runner; ok = create survived, failed clean→2nd ok = create "
             << "failed, nothing was left, a second create converged):\n";
   table.print(std::cout);
   failures.report();
   for (auto& lane : lanes) {
      for (const auto& leak : lane->provider().token_leaks()) ADD_FAILURE() << leak;
      if (lane->stand_in())
         for (const auto& problem : lane->stand_in()->problems())
            std::printf("stand-in: %s\n", problem.c_str());
      const auto live = lane->provider().live_providers();
      EXPECT_TRUE(live.empty()) << "providers outlived their verb:" << describe_processes(live);
   }
}

TEST(CrashPoints, CreateSurvivesEveryFaultAtEveryRequestOrLeavesNothing) {
   const std::string missing = missing_requirement();
   if (!missing.empty()) DPP_SKIP(missing);
   run_matrix({"compose", "application"}, "none", 3,
              [](const std::string&, const RequestPoint&, const FaultKind&) { return true; });
}

// The same cells for a representative subset, against real Debian workspaces: a create, a
// configuration step, the deploy and its first poll of each kind, each with another fault.
TEST(CrashPoints, RealWorkspacesSurviveARepresentativeSubsetOfFaults) {
   const std::string missing = missing_requirement({.workspace_runner = true});
   if (!missing.empty()) DPP_SKIP(missing);
   const std::map<std::string, std::string> subset = {
       {"compose.create", "500"},      {"compose.deploy", "timeout"}, {"compose.one", "drop"},
       {"application.create", "drop"}, {"port.create", "503"},        {"application.deploy", "429+RA"},
       {"application.one", "502"}};
   run_matrix({"compose", "application"}, "workspace", 2,
              [&](const std::string&, const RequestPoint& point, const FaultKind& fault) {
                 const auto it = subset.find(point.procedure);
                 return point.occurrence == 1 && it != subset.end() && it->second == fault.name;
              });
}

}  // namespace
}  // namespace dpp::test::reliability

// Request counts from the emulators' request logs.
#include "api_benches.hpp"

#include <map>
#include <stdexcept>

namespace dpp::bench {
namespace {

// Reads of a service's state while waiting for a deploy: how many depends on the deploy's timing,
// not on what else Dokploy holds.
bool is_poll(const std::string& procedure) {
   return procedure.ends_with(".one") || procedure.rfind("deployment.", 0) == 0;
}

// Runs `verb` and returns the number of /api/ requests it made, "procedure ×N" style text in
// `list`, and the procedures other than polls, in order, in `fixed`.
int count_requests(Suite& suite, const dpp::test::Emulator& emulator, const Workspace& workspace,
                   const std::string& verb, std::string& list, double* seconds = nullptr,
                   std::vector<std::string>* fixed = nullptr) {
   emulator.clear_requests();
   Launch launch{.argv = suite.world.provider_argv(verb),
                 .env = suite.world.provider_env(emulator, workspace.id, workspace.folder)};
   if (verb == "command") launch.env["COMMAND"] = "true";
   const Outcome outcome = require_success(run_measured(launch), "dokploy-provider " + verb);
   if (seconds) *seconds = outcome.seconds;
   const auto requests = emulator.api_requests();
   std::map<std::string, int> by_procedure;
   std::vector<std::string> order;
   for (const auto& request : requests) {
      const std::string procedure = request.value("procedure", "?");
      if (fixed && !is_poll(procedure)) fixed->push_back(procedure);
      if (by_procedure[procedure]++ == 0) order.push_back(procedure);
   }
   list.clear();
   for (const auto& procedure : order)
      list += (list.empty() ? "" : ", ") + procedure +
              (by_procedure[procedure] > 1 ? " ×" + std::to_string(by_procedure[procedure]) : "");
   return static_cast<int>(requests.size());
}

}  // namespace

void bench_requests_per_verb(Suite& suite, const Workspace& workspace) {
   progress("API requests per verb");
   const dpp::test::Emulator& emulator = suite.world.workspace_emulator();
   struct Verb {
      std::string verb;
      Target target;
      double limit;
   };
   // stop before start: start must find the workspace stopped, as DevPod calls it.
   const Verb verbs[] = {{"status", Target::exact, 1},
                         {"command", Target::exact, 0},
                         {"stop", Target::value_at_most, 2},
                         {"start", Target::value_at_most, 2}};
   for (const Verb& verb : verbs) {
      std::string list;
      const int count = count_requests(suite, emulator, workspace, verb.verb, list);
      Figure figure{.name = "API requests of `" + verb.verb + "`", .unit = "requests", .decimals = 0};
      figure.ours.add(count);
      figure.target = verb.target;
      figure.limit = verb.limit;
      figure.note = list.empty() ? "none" : list;
      suite.add(std::move(figure));
   }
}

void bench_create_scaling(Suite& suite) {
   BenchWorld& world = suite.world;
   const int seeded = world.settings().seeded_services;
   progress("create with " + std::to_string(seeded) + " other services against create with none");
   const Workspace empty{"bench-create", world.new_machine_folder("create-empty")};
   const Workspace full{"bench-create", world.new_machine_folder("create-seeded")};
   Samples empty_seconds, full_seconds, empty_counts, full_counts;
   std::string empty_list, full_list;
   std::vector<std::vector<std::string>> fixed_lists;  // every measured run's, both emulators
   auto cycle = [&](const dpp::test::Emulator& emulator, const Workspace& workspace, Samples* seconds,
                    Samples* counts, std::string& list) {
      double took = 0;
      std::vector<std::string> fixed;
      const int count = count_requests(suite, emulator, workspace, "create", list, &took, &fixed);
      if (counts) fixed_lists.push_back(fixed);
      if (seconds) seconds->add(took * 1000.0);
      if (counts) counts->add(count);
      // Back to no workspace, so that the next create makes one again.
      require_success(run_measured({.argv = world.provider_argv("delete"),
                                    .env = world.provider_env(emulator, workspace.id, workspace.folder)}),
                      "dokploy-provider delete");
   };
   for (int i = 0; i < suite.settings.create.warmup; ++i) {
      cycle(world.empty_emulator(), empty, nullptr, nullptr, empty_list);
      cycle(world.seeded_emulator(), full, nullptr, nullptr, full_list);
   }
   for (int i = 0; i < suite.settings.create.runs; ++i) {
      if (i % 2) {
         cycle(world.empty_emulator(), empty, &empty_seconds, &empty_counts, empty_list);
         cycle(world.seeded_emulator(), full, &full_seconds, &full_counts, full_list);
      } else {
         cycle(world.seeded_emulator(), full, &full_seconds, &full_counts, full_list);
         cycle(world.empty_emulator(), empty, &empty_seconds, &empty_counts, empty_list);
      }
   }
   Figure requests{.name = "API requests of `create`, " + std::to_string(seeded) + " other services",
                   .unit = "requests",
                   .decimals = 0};
   requests.ours = full_counts;
   requests.reference_name = "the same with 0 services";
   requests.reference = empty_counts;
   requests.target = Target::ratio_at_most;
   requests.limit = 1;
   requests.target_label = "independent of the service count";
   bool same = !fixed_lists.empty();
   for (const auto& fixed : fixed_lists) same = same && fixed == fixed_lists.front();
   requests.met_override = same && full_counts.median() <= empty_counts.median();
   requests.note = "last run: " + full_list + "; with 0 services: " + empty_list + ". " +
                   (same ? "Every run made the same requests apart from the status polls of the deploy"
                         : "The requests differ between runs");
   suite.add(std::move(requests));

   Figure time{.name = "`create` time, " + std::to_string(seeded) + " other services", .unit = "ms",
               .decimals = 0};
   time.ours = full_seconds;
   time.reference_name = "the same with 0 services";
   time.reference = empty_seconds;
   time.target = Target::ratio_at_most;
   time.limit = 1.5;
   time.note = "emulated deploys queue and run for " + std::to_string(world.settings().emulator_delay_ms) +
               " ms each; DOKPLOY_POLL_INTERVAL=100ms";
   suite.add(std::move(time));

   std::string delete_list;
   // One more create to have something to delete, for the delete count.
   count_requests(suite, world.empty_emulator(), empty, "create", delete_list);
   const int deletes = count_requests(suite, world.empty_emulator(), empty, "delete", delete_list);
   Figure remove{.name = "API requests of `delete`", .unit = "requests", .decimals = 0};
   remove.ours.add(deletes);
   remove.note = delete_list;
   suite.add(std::move(remove));
}

}  // namespace dpp::bench

// The in-process figures from Google Benchmark's JSON output.
#include "inprocess_bench.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace dpp::bench {

void bench_inprocess(Suite& suite, const Workspace& workspace) {
   if (suite.settings.inprocess_binary.empty()) return;
   BenchWorld& world = suite.world;
   progress("in-process: project.all of " + std::to_string(world.settings().seeded_services) +
            " services, state file load (Google Benchmark)");
   // The seeded emulator's real answer.
   const std::string answer_file = world.scratch() + "/project-all.json";
   const int answer_fd = ::open(answer_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
   if (answer_fd < 0) throw std::runtime_error("cannot write " + answer_file);
   const Outcome fetched = run_measured({.argv = world.curl_reference(world.seeded_emulator(), "/api/project.all"),
                                         .env = world.plain_env(),
                                         .stdout_fd = answer_fd});
   ::close(answer_fd);
   require_success(fetched, "curl project.all");

   const std::string report_file = world.scratch() + "/inprocess.json";
   const int repetitions = suite.settings.quick ? 2 : 10;
   const Outcome run = run_measured(
       {.argv = {suite.settings.inprocess_binary, "--project-all=" + answer_file,
                 "--state-folder=" + workspace.folder, "--machine-id=" + workspace.id,
                 "--benchmark_repetitions=" + std::to_string(repetitions),
                 std::string("--benchmark_min_time=") + (suite.settings.quick ? "0.01" : "0.2"),
                 "--benchmark_format=json", "--benchmark_out_format=json", "--benchmark_out=" + report_file},
        .env = world.plain_env()});
   require_success(run, "dpp_bench_inprocess");
   std::ifstream in(report_file);
   const nlohmann::json report = nlohmann::json::parse(in);
   std::size_t answer_bytes = 0;
   {
      std::ifstream answer(answer_file, std::ios::binary | std::ios::ate);
      answer_bytes = static_cast<std::size_t>(answer.tellg());
   }
   struct Known {
      const char* benchmark;
      std::string name;
   };
   const std::string services = std::to_string(world.settings().seeded_services);
   const Known known[] = {
       {"ProjectAllIndex", "in-process: `project.all` of " + services + " services → index (" +
                               std::to_string(answer_bytes / 1024) + " KiB)"},
       {"ProjectAllParse", "in-process: of which the JSON parse (Poco DOM)"},
       {"StateFileLoad", "in-process: state file load"},
   };
   for (const Known& entry : known) {
      Figure figure{.name = entry.name, .unit = "µs", .decimals = 1};
      for (const auto& result : report.at("benchmarks"))
         if (result.value("run_name", "") == entry.benchmark && result.value("run_type", "") == "iteration")
            figure.ours.add(result.at("real_time").get<double>());
      figure.note = "Google Benchmark, " + std::to_string(repetitions) + " repetitions";
      if (!figure.ours.empty()) suite.add(std::move(figure));
   }
}

}  // namespace dpp::bench

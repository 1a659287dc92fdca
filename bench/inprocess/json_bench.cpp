// In-process costs that the process-level figures cannot isolate (Google Benchmark): reading a
// 500-service project.all answer into the project index, and loading a machine's state file.
//
//    dpp_bench_inprocess --project-all=FILE --state-folder=DIR --machine-id=ID [benchmark flags]
//
// FILE is a real project.all answer (dpp-bench saves the seeded emulator's); DIR holds a real
// state file (dpp-bench's workspace machine).
#include <benchmark/benchmark.h>

#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "json_util.hpp"
#include "project_index.hpp"
#include "state/machine_state.hpp"

namespace {

std::string project_all_text;
std::string state_folder;
std::string machine_id;

std::string read_file(const std::string& path) {
   std::ifstream in(path, std::ios::binary);
   std::ostringstream text;
   text << in.rdbuf();
   return text.str();
}

// The whole path create and delete take through project.all: text → JSON → index → lookups.
void ProjectAllIndex(benchmark::State& state) {
   std::size_t services = 0;
   for (auto _ : state) {
      const auto index = dpp::dokploy::ProjectIndex::parse(dpp::dokploy::json::parse(project_all_text));
      services = index.services().size();
      benchmark::DoNotOptimize(index.machine_services("devpod-workspaces", "bench-create"));
      benchmark::DoNotOptimize(index.ports_in_use(""));
   }
   state.counters["services"] = static_cast<double>(services);
   state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * project_all_text.size()));
}
BENCHMARK(ProjectAllIndex)->Unit(benchmark::kMicrosecond);

// The JSON parse alone (Poco's DOM), to tell it from the indexing.
void ProjectAllParse(benchmark::State& state) {
   for (auto _ : state) benchmark::DoNotOptimize(dpp::dokploy::json::parse(project_all_text));
   state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * project_all_text.size()));
}
BENCHMARK(ProjectAllParse)->Unit(benchmark::kMicrosecond);

// What every verb does first: read and check the state file.
void StateFileLoad(benchmark::State& state) {
   for (auto _ : state) {
      dpp::core::MachineState machine(state_folder, machine_id);
      machine.load();
      if (!machine.endpoint.known()) state.SkipWithError("the state file has no endpoint");
      benchmark::DoNotOptimize(machine.endpoint.port);
   }
}
BENCHMARK(StateFileLoad)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
   std::vector<char*> rest;
   std::string project_all;
   for (int i = 0; i < argc; ++i) {
      const std::string arg = argv[i];
      if (arg.rfind("--project-all=", 0) == 0) project_all = arg.substr(14);
      else if (arg.rfind("--state-folder=", 0) == 0) state_folder = arg.substr(15);
      else if (arg.rfind("--machine-id=", 0) == 0) machine_id = arg.substr(13);
      else rest.push_back(argv[i]);
   }
   if (project_all.empty() || state_folder.empty() || machine_id.empty()) {
      std::cerr << "usage: " << argv[0]
                << " --project-all=FILE --state-folder=DIR --machine-id=ID [benchmark flags]\n";
      return 2;
   }
   project_all_text = read_file(project_all);
   if (project_all_text.empty()) {
      std::cerr << "cannot read " << project_all << "\n";
      return 2;
   }
   int count = static_cast<int>(rest.size());
   benchmark::Initialize(&count, rest.data());
   if (benchmark::ReportUnrecognizedArguments(count, rest.data())) return 2;
   benchmark::RunSpecifiedBenchmarks();
   benchmark::Shutdown();
   return 0;
}

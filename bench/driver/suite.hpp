// What every bench gets: the world it measures in, how many runs to make, and where its figures
// and remarks go.
#pragma once

#include <string>
#include <vector>

#include "bench_world.hpp"
#include "figure.hpp"

namespace dpp::bench {

struct Repeats {
   int warmup;
   int runs;
};

struct SuiteSettings {
   bool quick = false;
   Repeats process{5, 30};   // short process runs (status, command true)
   Repeats transfer{1, 5};   // bulk transfers (the warm-up moves 1/8 of the bytes)
   Repeats create{1, 7};     // create + delete cycles
   int echo_lines = 300;     // measured round trips per client
   std::uint64_t transfer_bytes = 1ull << 30;
   std::string inprocess_binary;  // the Google Benchmark binary ("" = skip)
};

struct Suite {
   BenchWorld& world;
   SuiteSettings settings;
   std::vector<Figure> figures;
   std::vector<std::string> remarks;  // printed under the table

   Figure& add(Figure figure) {
      figures.push_back(std::move(figure));
      return figures.back();
   }
};

// One progress line on stderr (the table goes to stdout).
void progress(const std::string& text);

// The machine every command-style figure uses: made by a real `create` against the workspace
// emulator, so its state file and credentials are exactly what DevPod's later calls find.
struct Workspace {
   std::string id;
   std::string folder;
};
Workspace create_workspace(Suite& suite, const std::string& id);

}  // namespace dpp::bench

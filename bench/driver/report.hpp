// The table (stdout) and BENCHMARKS.md: the machine, the exact command, the figures with their
// ratios and verdicts, the notes kept in bench/notes.md, and every raw number.
#pragma once

#include <string>

#include "machine_info.hpp"
#include "suite.hpp"

namespace dpp::bench {

struct ReportContext {
   MachineInfo machine;
   std::string load_at_start;
   std::string load_at_end;
   std::string command;        // how the suite was started
   std::string provider_text;  // what was measured
   std::string duration;       // how long the suite ran
   std::string notes_file;     // bench/notes.md ("" = none)
};

// The results table alone (Markdown, readable as plain text).
std::string results_table(const Suite& suite);
// The whole of BENCHMARKS.md.
std::string benchmarks_markdown(const Suite& suite, const ReportContext& context);

}  // namespace dpp::bench

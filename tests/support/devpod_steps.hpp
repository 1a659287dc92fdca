// A record of DevPod steps (init, create, status, …) with their timings and results, printed
// as each step ends and as a table at the end. Timings are reported, never asserted.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

namespace dpp::test::devpod {

struct StepRecord {
   std::string run;   // which run (a combination of the matrix, or the demo)
   std::string step;  // "create", "status → Running", "command: 16 MiB round trip", …
   double seconds = 0;
   bool ok = false;
   std::string result;  // short, one line
   std::string detail;  // everything the step said (for failure messages)
};

class StepLog {
 public:
   // `prefix` starts every live line; `live` (may be null) receives them as steps end;
   // `show_run` puts the run's name on each live line.
   StepLog(std::string prefix, std::ostream* live, bool show_run = true);

   // Times `body`, which returns the step's one-line result and whether it was fine.
   StepRecord& run(const std::string& run_name, const std::string& step,
                   const std::function<std::pair<bool, std::string>()>& body);
   StepRecord& add(StepRecord record);

   const std::vector<StepRecord>& records() const { return records_; }
   // One table per run: step, seconds, result.
   void print_table(std::ostream& out, const std::string& only_run = "") const;
   // Steps × runs: the seconds of each step in each run, side by side.
   void print_matrix(std::ostream& out) const;

 private:
   std::string prefix_;
   std::ostream* live_;
   bool show_run_;
   std::vector<StepRecord> records_;
   mutable std::mutex mutex_;
};

}  // namespace dpp::test::devpod

// Runs a list of test cells on several lanes at once (one thread per lane, cells taken in
// order), collecting failures as text for the test's own thread to report, and timing each cell.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "lane.hpp"

namespace dpp::test::reliability {

class CellFailures {
 public:
   void add(const std::string& cell, const std::string& what);
   // Reports each as a GoogleTest failure (call on the test's thread).
   void report() const;
   bool empty() const;

 private:
   mutable std::mutex mutex_;
   std::vector<std::string> failures_;
};

// Calls run(lane, index) for index 0..count-1, spread over `lanes`; prints each cell's seconds
// through `describe(index)` and a summary line. Exceptions of a cell become failures.
void run_cells(std::vector<Lane*> lanes, std::size_t count,
               const std::function<std::string(std::size_t)>& describe,
               const std::function<void(Lane&, std::size_t)>& run, CellFailures& failures);

}  // namespace dpp::test::reliability

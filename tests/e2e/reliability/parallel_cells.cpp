// Cells spread over lanes, failures collected for the test's thread.
#include "parallel_cells.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>

namespace dpp::test::reliability {

void CellFailures::add(const std::string& cell, const std::string& what) {
   std::lock_guard lock(mutex_);
   failures_.push_back(cell + ": " + what);
}

void CellFailures::report() const {
   std::lock_guard lock(mutex_);
   for (const auto& failure : failures_) ADD_FAILURE() << failure;
}

bool CellFailures::empty() const {
   std::lock_guard lock(mutex_);
   return failures_.empty();
}

void run_cells(std::vector<Lane*> lanes, std::size_t count,
               const std::function<std::string(std::size_t)>& describe,
               const std::function<void(Lane&, std::size_t)>& run, CellFailures& failures) {
   std::atomic<std::size_t> next{0};
   std::mutex print;
   std::vector<double> seconds(count, 0.0);
   const auto started = std::chrono::steady_clock::now();
   std::vector<std::thread> threads;
   for (Lane* lane : lanes) {
      threads.emplace_back([&, lane] {
         for (std::size_t index = next++; index < count; index = next++) {
            const auto begin = std::chrono::steady_clock::now();
            try {
               run(*lane, index);
            } catch (const std::exception& e) {
               failures.add(describe(index), std::string("threw: ") + e.what());
            }
            seconds[index] = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
            std::lock_guard lock(print);
            std::printf("  [%3zu/%zu] %-48s %6.2f s\n", index + 1, count, describe(index).c_str(),
                        seconds[index]);
            std::fflush(stdout);
         }
      });
   }
   for (auto& thread : threads) thread.join();
   std::vector<double> sorted = seconds;
   std::sort(sorted.begin(), sorted.end());
   if (!sorted.empty())
      std::printf("  %zu cells on %zu lanes in %.1f s (per cell: min %.2f s, median %.2f s, max %.2f s)\n",
                  count, lanes.size(),
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
                  sorted.front(), sorted[sorted.size() / 2], sorted.back());
}

}  // namespace dpp::test::reliability

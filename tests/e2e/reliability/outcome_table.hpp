// A table of measured outcomes (rows × columns of short texts), filled from several threads and
// printed aligned, as Markdown, so the run's log can be pasted into a report as it is.
#pragma once

#include <map>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

namespace dpp::test::reliability {

class OutcomeTable {
 public:
   OutcomeTable(std::string corner, std::vector<std::string> columns);

   // Rows print in the order of their first mention.
   void add_row(const std::string& row);
   void set(const std::string& row, const std::string& column, const std::string& outcome);
   void print(std::ostream& out) const;

 private:
   std::string corner_;
   std::vector<std::string> columns_;
   std::vector<std::string> rows_;
   std::map<std::pair<std::string, std::string>, std::string> cells_;
   mutable std::mutex mutex_;
};

}  // namespace dpp::test::reliability

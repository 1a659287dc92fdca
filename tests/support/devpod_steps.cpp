// Step records and their tables.
#include "support/devpod_steps.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

namespace dpp::test::devpod {
namespace {

std::string seconds_text(double seconds) {
   char buffer[32];
   std::snprintf(buffer, sizeof buffer, "%.2f s", seconds);
   return buffer;
}

std::string pad(const std::string& text, std::size_t width) {
   // Counts UTF-8 code points, so arrows and ellipses do not break the columns.
   std::size_t shown = 0;
   for (unsigned char c : text) shown += (c & 0xC0) != 0x80;
   return shown >= width ? text : text + std::string(width - shown, ' ');
}

std::size_t shown_width(const std::string& text) {
   std::size_t shown = 0;
   for (unsigned char c : text) shown += (c & 0xC0) != 0x80;
   return shown;
}

}  // namespace

StepLog::StepLog(std::string prefix, std::ostream* live, bool show_run)
    : prefix_(std::move(prefix)), live_(live), show_run_(show_run) {}

StepRecord& StepLog::add(StepRecord record) {
   std::lock_guard lock(mutex_);
   if (live_) {
      *live_ << prefix_ << (show_run_ ? pad(record.run, 26) + " " : "") << pad(record.step, 38) << ' '
             << (record.ok ? "ok  " : "FAIL") << ' ' << pad(seconds_text(record.seconds), 9) << ' '
             << record.result << '\n';
      live_->flush();
   }
   records_.push_back(std::move(record));
   return records_.back();
}

StepRecord& StepLog::run(const std::string& run_name, const std::string& step,
                         const std::function<std::pair<bool, std::string>()>& body) {
   const auto started = std::chrono::steady_clock::now();
   StepRecord record{.run = run_name, .step = step};
   try {
      auto [ok, result] = body();
      record.ok = ok;
      record.result = result;
   } catch (const std::exception& e) {
      record.ok = false;
      record.result = std::string("error: ") + e.what();
   }
   record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
   record.detail = record.result;
   const auto newline = record.result.find('\n');
   if (newline != std::string::npos) record.result = record.result.substr(0, newline) + " …";
   return add(std::move(record));
}

void StepLog::print_table(std::ostream& out, const std::string& only_run) const {
   std::lock_guard lock(mutex_);
   std::size_t step_width = 4, result_width = 6;
   for (const auto& record : records_) {
      if (!only_run.empty() && record.run != only_run) continue;
      step_width = std::max(step_width, shown_width(record.step));
      result_width = std::max(result_width, std::min<std::size_t>(shown_width(record.result), 70));
   }
   const std::string rule = "+-" + std::string(step_width, '-') + "-+-" + std::string(9, '-') + "-+-" +
                            std::string(4, '-') + "-+-" + std::string(result_width, '-') + "-+\n";
   std::string current;
   for (const auto& record : records_) {
      if (!only_run.empty() && record.run != only_run) continue;
      if (record.run != current) {
         if (!current.empty()) out << rule;
         current = record.run;
         if (only_run.empty()) out << "\n" << current << "\n";
         out << rule << "| " << pad("step", step_width) << " | " << pad("time", 9) << " | "
             << "    "
             << " | " << pad("result", result_width) << " |\n"
             << rule;
      }
      std::string result = record.result;
      if (shown_width(result) > 70) result = result.substr(0, 67) + "...";
      out << "| " << pad(record.step, step_width) << " | " << pad(seconds_text(record.seconds), 9) << " | "
          << (record.ok ? "ok  " : "FAIL") << " | " << pad(result, result_width) << " |\n";
   }
   if (!current.empty()) out << rule;
}

void StepLog::print_matrix(std::ostream& out) const {
   std::lock_guard lock(mutex_);
   std::vector<std::string> runs, steps;
   std::map<std::pair<std::string, std::string>, const StepRecord*> cells;
   for (const auto& record : records_) {
      if (std::find(runs.begin(), runs.end(), record.run) == runs.end()) runs.push_back(record.run);
      if (std::find(steps.begin(), steps.end(), record.step) == steps.end()) steps.push_back(record.step);
      cells[{record.step, record.run}] = &record;
   }
   std::size_t step_width = 4;
   for (const auto& step : steps) step_width = std::max(step_width, shown_width(step));
   out << pad("step \\ run", step_width);
   for (const auto& run_name : runs)
      out << " | " << pad(run_name, std::max<std::size_t>(shown_width(run_name), 10));
   out << '\n';
   for (const auto& step : steps) {
      out << pad(step, step_width);
      for (const auto& run_name : runs) {
         const auto cell = cells.find({step, run_name});
         std::string text = "-";
         if (cell != cells.end())
            text = seconds_text(cell->second->seconds) + (cell->second->ok ? "" : " FAIL");
         out << " | " << pad(text, std::max<std::size_t>(shown_width(run_name), 10));
      }
      out << '\n';
   }
}

}  // namespace dpp::test::devpod

// Outcome tables printed as aligned Markdown.
#include "outcome_table.hpp"

#include <algorithm>

namespace dpp::test::reliability {
namespace {

// Columns on a terminal: UTF-8 characters, not bytes ("→", "×" are 2–3 bytes each).
std::size_t display_width(const std::string& text) {
   return static_cast<std::size_t>(std::count_if(
       text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

OutcomeTable::OutcomeTable(std::string corner, std::vector<std::string> columns)
    : corner_(std::move(corner)), columns_(std::move(columns)) {}

void OutcomeTable::add_row(const std::string& row) {
   std::lock_guard lock(mutex_);
   if (std::find(rows_.begin(), rows_.end(), row) == rows_.end()) rows_.push_back(row);
}

void OutcomeTable::set(const std::string& row, const std::string& column, const std::string& outcome) {
   add_row(row);
   std::lock_guard lock(mutex_);
   cells_[{row, column}] = outcome;
}

void OutcomeTable::print(std::ostream& out) const {
   std::lock_guard lock(mutex_);
   std::vector<std::size_t> widths;
   std::size_t first = display_width(corner_);
   for (const auto& row : rows_) first = std::max(first, display_width(row));
   for (const auto& column : columns_) {
      std::size_t width = display_width(column);
      for (const auto& row : rows_)
         if (auto cell = cells_.find({row, column}); cell != cells_.end())
            width = std::max(width, display_width(cell->second));
      widths.push_back(width);
   }
   auto pad = [](const std::string& text, std::size_t width) {
      return text + std::string(width - display_width(text), ' ');
   };
   out << "| " << pad(corner_, first) << " |";
   for (std::size_t i = 0; i < columns_.size(); ++i) out << ' ' << pad(columns_[i], widths[i]) << " |";
   out << "\n|" << std::string(first + 2, '-') << '|';
   for (std::size_t width : widths) out << std::string(width + 2, '-') << '|';
   out << '\n';
   for (const auto& row : rows_) {
      out << "| " << pad(row, first) << " |";
      for (std::size_t i = 0; i < columns_.size(); ++i) {
         auto cell = cells_.find({row, columns_[i]});
         out << ' ' << pad(cell == cells_.end() ? "" : cell->second, widths[i]) << " |";
      }
      out << '\n';
   }
   out.flush();
}

}  // namespace dpp::test::reliability

// Ratios and verdicts of one figure.
#include "figure.hpp"

#include <cmath>

namespace dpp::bench {

std::optional<double> Figure::ratio() const {
   if (reference.empty() || ours.empty()) return std::nullopt;
   const double denominator = reference.median();
   if (denominator <= 0) return std::nullopt;
   return ours.median() / denominator;
}

std::optional<bool> Figure::met() const {
   if (met_override) return met_override;
   if (ours.empty()) return std::nullopt;
   switch (target) {
      case Target::ratio_at_most:
         if (auto r = ratio()) return *r <= limit;
         return std::nullopt;
      case Target::ratio_at_least:
         if (auto r = ratio()) return *r >= limit;
         return std::nullopt;
      case Target::value_at_most: return ours.max() <= limit;
      case Target::exact:
         for (double value : ours.values())
            if (std::fabs(value - limit) > 1e-9) return false;
         return true;
      case Target::stated: return std::nullopt;
   }
   return std::nullopt;
}

std::string Figure::target_text() const {
   if (!target_label.empty()) return target_label;
   switch (target) {
      case Target::ratio_at_most: return "≤ " + fixed(limit, 2) + "×";
      case Target::ratio_at_least: return "≥ " + fixed(limit, 2) + "×";
      case Target::value_at_most: return "≤ " + fixed(limit, decimals) + " " + unit;
      case Target::exact: return "= " + fixed(limit, 0);
      case Target::stated: return "stated";
   }
   return "";
}

}  // namespace dpp::bench

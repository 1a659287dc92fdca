// Median, minimum and maximum of repeated measurements.
#include "samples.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>

namespace dpp::bench {

double Samples::median() const {
   if (values_.empty()) return std::numeric_limits<double>::quiet_NaN();
   std::vector<double> sorted = values_;
   std::sort(sorted.begin(), sorted.end());
   const std::size_t middle = sorted.size() / 2;
   return sorted.size() % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

double Samples::min() const {
   if (values_.empty()) return std::numeric_limits<double>::quiet_NaN();
   return *std::min_element(values_.begin(), values_.end());
}

double Samples::max() const {
   if (values_.empty()) return std::numeric_limits<double>::quiet_NaN();
   return *std::max_element(values_.begin(), values_.end());
}

std::string fixed(double value, int decimals) {
   char text[64];
   std::snprintf(text, sizeof text, "%.*f", decimals, value);
   return text;
}

}  // namespace dpp::bench

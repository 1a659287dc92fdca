// Repeated measurements of one figure and their summary (median, min, max): medians are what
// the ratios compare, because one slow run on a shared machine must not move a figure.
#pragma once

#include <string>
#include <vector>

namespace dpp::bench {

class Samples {
 public:
   void add(double value) { values_.push_back(value); }
   bool empty() const { return values_.empty(); }
   std::size_t count() const { return values_.size(); }
   const std::vector<double>& values() const { return values_; }
   double median() const;
   double min() const;
   double max() const;

 private:
   std::vector<double> values_;
};

// "12.3" style text with `decimals` digits after the point.
std::string fixed(double value, int decimals);

}  // namespace dpp::bench

// One row of the benchmark table: our measurement, the reference measured beside it in the same
// run (when there is one), the target, and whether it is met.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "samples.hpp"

namespace dpp::bench {

enum class Target {
   ratio_at_most,   // median(ours) / median(reference) <= limit (times)
   ratio_at_least,  // median(ours) / median(reference) >= limit (throughputs)
   value_at_most,   // median(ours) <= limit (and the maximum too, for peaks)
   exact,           // every sample == limit (request counts)
   stated,          // no target: the number is reported
};

struct Figure {
   std::string name;
   std::string unit;  // "ms", "MiB/s", "MB", "requests", "µs"
   int decimals = 1;
   Samples ours;
   std::string reference_name;  // "" when there is no reference
   Samples reference;
   Target target = Target::stated;
   double limit = 0;
   std::string note;
   std::string target_label;  // replaces the generated target text when set
   // Set by the bench itself when the rule above does not decide it (e.g. two counts compared).
   std::optional<bool> met_override;

   std::optional<double> ratio() const;
   // nullopt for `stated`.
   std::optional<bool> met() const;
   std::string target_text() const;
};

}  // namespace dpp::bench

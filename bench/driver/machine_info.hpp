// What the numbers were measured on: CPU, cores, kernel, Debian version, date, load.
#pragma once

#include <string>

namespace dpp::bench {

struct MachineInfo {
   std::string cpu;
   int cores = 0;
   std::string kernel;
   std::string debian;
   std::string date;  // UTC, ISO 8601
   std::string memory;
};

MachineInfo describe_machine();
// /proc/loadavg's three averages ("0.52 0.61 0.70").
std::string load_average();
double load_average_1min();

}  // namespace dpp::bench

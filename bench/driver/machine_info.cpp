// Reads /proc, uname and /etc/debian_version.
#include "machine_info.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <ctime>
#include <fstream>
#include <sstream>

namespace dpp::bench {
namespace {

std::string first_line(const std::string& path) {
   std::ifstream in(path);
   std::string line;
   std::getline(in, line);
   return line;
}

}  // namespace

MachineInfo describe_machine() {
   MachineInfo info;
   std::ifstream cpuinfo("/proc/cpuinfo");
   for (std::string line; std::getline(cpuinfo, line);)
      if (line.rfind("model name", 0) == 0) {
         info.cpu = line.substr(line.find(':') + 2);
         break;
      }
   info.cores = static_cast<int>(::sysconf(_SC_NPROCESSORS_ONLN));
   utsname name{};
   if (::uname(&name) == 0) info.kernel = std::string(name.sysname) + " " + name.release + " " + name.machine;
   info.debian = first_line("/etc/debian_version");
   std::ifstream meminfo("/proc/meminfo");
   for (std::string line; std::getline(meminfo, line);)
      if (line.rfind("MemTotal:", 0) == 0) {
         std::istringstream fields(line.substr(9));
         long kb = 0;
         fields >> kb;
         info.memory = std::to_string((kb + 512 * 1024) / (1024 * 1024)) + " GiB";
      }
   const std::time_t now = std::time(nullptr);
   char text[32];
   std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
   info.date = text;
   return info;
}

std::string load_average() {
   std::istringstream fields(first_line("/proc/loadavg"));
   std::string one, five, fifteen;
   fields >> one >> five >> fifteen;
   return one + " " + five + " " + fifteen;
}

double load_average_1min() {
   std::istringstream fields(first_line("/proc/loadavg"));
   double one = 0;
   fields >> one;
   return one;
}

}  // namespace dpp::bench

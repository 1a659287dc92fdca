// /proc readings: resident memory, descriptors, environment marks and ancestry.
#include "process_probe.hpp"

#include <dirent.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace dpp::test::reliability {
namespace {

std::string read_file(const std::string& path) {
   std::ifstream in(path, std::ios::binary);
   std::stringstream buffer;
   buffer << in.rdbuf();
   return buffer.str();
}

std::vector<pid_t> all_pids() {
   std::vector<pid_t> out;
   DIR* proc = ::opendir("/proc");
   if (!proc) return out;
   while (dirent* entry = ::readdir(proc)) {
      char* end = nullptr;
      const long pid = std::strtol(entry->d_name, &end, 10);
      if (end && *end == '\0' && pid > 0) out.push_back(static_cast<pid_t>(pid));
   }
   ::closedir(proc);
   return out;
}

struct StatusFields {
   bool present = false;
   bool zombie = false;
   pid_t parent = 0;
   long rss_kib = 0;
   std::string name;
};

StatusFields read_status(pid_t pid) {
   StatusFields fields;
   std::istringstream lines(read_file("/proc/" + std::to_string(pid) + "/status"));
   std::string line;
   while (std::getline(lines, line)) {
      fields.present = true;
      if (line.rfind("Name:", 0) == 0) {
         fields.name = line.substr(5);
         fields.name.erase(0, fields.name.find_first_not_of(" \t"));
      } else if (line.rfind("State:", 0) == 0) {
         fields.zombie = line.find('Z') != std::string::npos || line.find('X') != std::string::npos;
      } else if (line.rfind("PPid:", 0) == 0) {
         fields.parent = static_cast<pid_t>(std::atol(line.c_str() + 5));
      } else if (line.rfind("VmRSS:", 0) == 0) {
         fields.rss_kib = std::atol(line.c_str() + 6);
      }
   }
   return fields;
}

int count_fds(pid_t pid) {
   DIR* dir = ::opendir(("/proc/" + std::to_string(pid) + "/fd").c_str());
   if (!dir) return -1;
   int count = 0;
   while (dirent* entry = ::readdir(dir))
      if (entry->d_name[0] != '.') ++count;
   ::closedir(dir);
   return count;
}

bool is_port_argument(const std::string& text, int low, int high) {
   char* end = nullptr;
   const long value = std::strtol(text.c_str(), &end, 10);
   return !text.empty() && end && *end == '\0' && value >= low && value <= high;
}

}  // namespace

std::optional<ProcessSample> sample_process(pid_t pid) {
   const StatusFields status = read_status(pid);
   if (!status.present || status.zombie) return std::nullopt;
   const int fds = count_fds(pid);
   if (fds < 0) return std::nullopt;
   return ProcessSample{status.rss_kib, fds};
}

std::vector<std::string> command_line(pid_t pid) {
   const std::string text = read_file("/proc/" + std::to_string(pid) + "/cmdline");
   std::vector<std::string> out;
   std::string current;
   for (char c : text) {
      if (c == '\0') {
         out.push_back(current);
         current.clear();
      } else {
         current += c;
      }
   }
   if (!current.empty()) out.push_back(current);
   return out;
}

std::vector<pid_t> processes_with_environment(const std::string& entry) {
   std::vector<pid_t> out;
   for (pid_t pid : all_pids()) {
      const std::string environment = read_file("/proc/" + std::to_string(pid) + "/environ");
      std::size_t start = 0;
      bool found = false;
      while (start < environment.size() && !found) {
         std::size_t stop = environment.find('\0', start);
         if (stop == std::string::npos) stop = environment.size();
         found = environment.compare(start, stop - start, entry) == 0;
         start = stop + 1;
      }
      if (found && !read_status(pid).zombie) out.push_back(pid);
   }
   return out;
}

std::vector<pid_t> descendants_of(pid_t root) {
   std::map<pid_t, StatusFields> table;
   for (pid_t pid : all_pids()) {
      StatusFields status = read_status(pid);
      if (status.present) table[pid] = status;
   }
   std::set<pid_t> members{root};
   for (bool grew = true; grew;) {
      grew = false;
      for (const auto& [pid, status] : table)
         if (!members.count(pid) && members.count(status.parent)) grew = members.insert(pid).second || grew;
   }
   std::vector<pid_t> out;
   for (pid_t pid : members)
      if (pid != root && !table[pid].zombie) out.push_back(pid);
   return out;
}

std::vector<pid_t> ssh_clients_for_ports(int low, int high) {
   std::vector<pid_t> out;
   for (pid_t pid : all_pids()) {
      const StatusFields status = read_status(pid);
      if (!status.present || status.zombie) continue;
      if (status.name != "ssh" && status.name != "sshpass" && status.name != "ssh-keyscan") continue;
      const std::vector<std::string> argv = command_line(pid);
      bool ours = false;
      for (std::size_t i = 0; i + 1 < argv.size() && !ours; ++i)
         ours = argv[i] == "-p" && is_port_argument(argv[i + 1], low, high);
      for (const auto& arg : argv) {
         const auto colon = arg.rfind(':');
         if (colon != std::string::npos && is_port_argument(arg.substr(colon + 1), low, high)) ours = true;
      }
      if (ours) out.push_back(pid);
   }
   return out;
}

std::string describe_process(pid_t pid) {
   std::string text = std::to_string(pid) + " (" + read_status(pid).name + ")";
   for (const auto& arg : command_line(pid)) text += " " + arg;
   return text;
}

std::string describe_processes(const std::vector<pid_t>& pids) {
   std::string text;
   for (pid_t pid : pids) text += "\n  " + describe_process(pid);
   return text;
}

}  // namespace dpp::test::reliability

// The secret scanner: text, files and /proc.
#include "support/secret_scan.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace dpp::test {
namespace {

std::string read_all(const std::string& path) {
   const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
   if (fd < 0) return "";
   std::string content;
   char buffer[16384];
   ssize_t n;
   while ((n = ::read(fd, buffer, sizeof buffer)) > 0) content.append(buffer, static_cast<std::size_t>(n));
   ::close(fd);
   return content;
}

std::string first_line(const std::string& text) {
   return text.substr(0, text.find('\n'));
}

// The parent of `pid` from /proc/<pid>/stat (its 4th field, after the parenthesised name).
pid_t parent_of(pid_t pid) {
   const std::string stat = read_all("/proc/" + std::to_string(pid) + "/stat");
   const auto close = stat.rfind(')');
   if (close == std::string::npos) return 0;
   std::istringstream fields(stat.substr(close + 2));
   std::string state;
   pid_t parent = 0;
   fields >> state >> parent;
   return parent;
}

std::string executable_of(pid_t pid) {
   std::error_code error;
   const auto target = std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/exe", error);
   return error ? "" : target.string();
}

}  // namespace

void SecretSet::add(const std::string& label, const std::string& value) {
   if (value.size() < 8)
      throw std::invalid_argument("secret '" + label + "' is shorter than 8 bytes: it would match by chance");
   secrets_.push_back({label, value});
}

void SecretSet::add_private_key_text(const std::string& label, const std::string& text) {
   std::istringstream lines(text);
   std::string body;
   int parts = 0;
   for (std::string line; std::getline(lines, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty() || line.rfind("-----", 0) == 0) continue;
      body += line;
      if (line.size() >= 16) {
         add(label + " (line " + std::to_string(++parts) + ")", line);
      }
   }
   if (body.empty()) throw std::invalid_argument("no key material in " + label);
   add(label, body);
}

void SecretSet::add_private_key_file(const std::string& label, const std::string& path) {
   std::ifstream in(path, std::ios::binary);
   if (!in) throw std::invalid_argument("cannot read the key file " + path);
   add_private_key_text(label,
                        std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
}

std::vector<std::string> SecretSet::labels() const {
   std::vector<std::string> out;
   for (const auto& secret : secrets_) out.push_back(secret.label);
   return out;
}

std::vector<std::string> SecretSet::find_in(const std::string& where, std::string_view text) const {
   std::vector<std::string> findings;
   for (const auto& secret : secrets_)
      if (text.find(secret.value) != std::string_view::npos)
         findings.push_back(where + " holds " + secret.label);
   return findings;
}

std::vector<std::string> SecretSet::find_in_file(const std::string& path) const {
   return find_in(path, read_all(path));
}

std::vector<std::string> SecretSet::find_in_tree(const std::string& folder,
                                                 const std::set<std::string>& except) const {
   std::vector<std::string> findings;
   std::error_code error;
   for (auto it = std::filesystem::recursive_directory_iterator(folder, error);
        !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
      if (!it->is_regular_file(error) || it->is_symlink(error)) continue;
      const std::string path = it->path().string();
      if (except.count(path)) continue;
      for (auto& finding : find_in_file(path)) findings.push_back(std::move(finding));
   }
   return findings;
}

ProcessSecretWatch::ProcessSecretWatch(const SecretSet& secrets, WatchOptions options)
    : secrets_(secrets), options_(std::move(options)) {
   thread_ = std::thread([this] {
      while (running_.load()) {
         sample();
         ++samples_;
         std::this_thread::sleep_for(std::chrono::milliseconds(options_.interval_ms));
      }
   });
}

ProcessSecretWatch::~ProcessSecretWatch() {
   stop();
}

void ProcessSecretWatch::ignore(pid_t pid) {
   std::lock_guard lock(mutex_);
   options_.ignore.insert(pid);
}

std::vector<std::string> ProcessSecretWatch::stop() {
   if (running_.exchange(false) && thread_.joinable()) {
      thread_.join();
      sample();  // one last look, so that even a short run was sampled
      ++samples_;
   }
   std::lock_guard lock(mutex_);
   return {findings_.begin(), findings_.end()};
}

int ProcessSecretWatch::processes_seen() const {
   std::lock_guard lock(mutex_);
   return static_cast<int>(seen_.size());
}

int ProcessSecretWatch::children_seen() const {
   std::lock_guard lock(mutex_);
   return static_cast<int>(children_.size());
}

std::set<std::string> ProcessSecretWatch::children_names() const {
   std::lock_guard lock(mutex_);
   return children_names_;
}

void ProcessSecretWatch::sample() {
   std::set<pid_t> ignore;
   {
      std::lock_guard lock(mutex_);
      ignore = options_.ignore;
   }
   std::map<pid_t, pid_t> parents;
   std::set<pid_t> programs;  // processes running the watched executable
   std::vector<pid_t> pids;
   if (DIR* proc = ::opendir("/proc")) {
      while (dirent* entry = ::readdir(proc)) {
         const std::string name = entry->d_name;
         if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
         pids.push_back(static_cast<pid_t>(std::stol(name)));
      }
      ::closedir(proc);
   }
   const pid_t self = ::getpid();
   for (pid_t pid : pids) {
      parents[pid] = parent_of(pid);
      if (!options_.parent_executable.empty() && executable_of(pid) == options_.parent_executable)
         programs.insert(pid);
   }
   auto descends_from_program = [&](pid_t pid) {
      for (int depth = 0; depth < 64 && pid > 1; ++depth) {
         pid = parents.count(pid) ? parents[pid] : 0;
         if (programs.count(pid)) return true;
      }
      return false;
   };
   for (pid_t pid : pids) {
      if (ignore.count(pid)) continue;
      const std::string base = "/proc/" + std::to_string(pid);
      const std::string comm = first_line(read_all(base + "/comm"));
      std::vector<std::pair<std::string, std::string>> parts = {{"argv", read_all(base + "/cmdline")}};
      const bool child = programs.count(pid) == 0 && descends_from_program(pid);
      if (child && pid != self) parts.emplace_back("environment", read_all(base + "/environ"));
      std::lock_guard lock(mutex_);
      seen_.insert(pid);
      if (child) {
         children_.insert(pid);
         children_names_.insert(comm);
      }
      for (const auto& [what, text] : parts)
         for (const auto& finding :
              secrets_.find_in("pid " + std::to_string(pid) + " (" + comm + ") " + what, text))
            if (findings_.size() < 50) findings_.insert(finding);
   }
}

ProcessProtection process_protection(pid_t pid) {
   ProcessProtection protection;
   const std::string base = "/proc/" + std::to_string(pid);
   struct stat info {};
   if (::stat((base + "/status").c_str(), &info) == 0) protection.proc_owned_by_root = info.st_uid == 0;
   const std::string status = read_all(base + "/status");
   if (const auto at = status.find("\nUid:"); at != std::string::npos)
      protection.uid = static_cast<uid_t>(std::stoul(status.substr(at + 5)));
   std::istringstream limits(read_all(base + "/limits"));
   for (std::string line; std::getline(limits, line);) {
      if (line.rfind("Max core file size", 0) != 0) continue;
      std::istringstream fields(line.substr(18));
      std::string soft, hard;
      fields >> soft >> hard;
      auto number = [](const std::string& text) { return text == "unlimited" ? -1LL : std::stoll(text); };
      protection.core_soft = number(soft);
      protection.core_hard = number(hard);
   }
   return protection;
}

}  // namespace dpp::test

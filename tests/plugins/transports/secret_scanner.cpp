// Scanning /proc for secrets.
#include "secret_scanner.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <set>

namespace dpp::test {
namespace {

std::string read_all(const std::string& path) {
   const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
   if (fd < 0) return "";
   std::string content;
   char buffer[16384];
   ssize_t n;
   while ((n = ::read(fd, buffer, sizeof buffer)) > 0) content.append(buffer, static_cast<std::size_t>(n));
   ::close(fd);
   return content;
}

}  // namespace

SecretScanner::SecretScanner(std::vector<std::string> secrets) : secrets_(std::move(secrets)) {
   thread_ = std::thread([this] {
      while (running_.load()) {
         scan_once();
         ++scans_;
         std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
   });
}

SecretScanner::~SecretScanner() {
   stop();
}

std::vector<std::string> SecretScanner::stop() {
   if (running_.exchange(false) && thread_.joinable()) {
      thread_.join();
      // One last look, so that even a very short test was scanned at least once.
      scan_once();
      ++scans_;
   }
   std::lock_guard<std::mutex> lock(mutex_);
   return findings_;
}

bool SecretScanner::contains_secret(const std::string& text) const {
   for (const auto& secret : secrets_)
      if (!secret.empty() && text.find(secret) != std::string::npos) return true;
   return false;
}

void SecretScanner::scan_once() {
   DIR* proc = ::opendir("/proc");
   if (!proc) return;
   const std::string self = std::to_string(::getpid());
   while (dirent* entry = ::readdir(proc)) {
      const std::string pid = entry->d_name;
      if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) continue;
      for (const char* part : {"cmdline", "environ"}) {
         // Our own environment is the test's, not a child's.
         if (pid == self && std::string(part) == "environ") continue;
         const std::string text = read_all("/proc/" + pid + "/" + part);
         for (std::size_t i = 0; i < secrets_.size(); ++i) {
            if (secrets_[i].empty() || text.find(secrets_[i]) == std::string::npos) continue;
            const std::string comm = read_all("/proc/" + pid + "/comm");
            std::lock_guard<std::mutex> lock(mutex_);
            const std::string finding = "pid " + pid + " (" + comm.substr(0, comm.find('\n')) + ") " + part +
                                        " holds secret #" + std::to_string(i);
            if (findings_.size() < 50) findings_.push_back(finding);
         }
      }
   }
   ::closedir(proc);
}

}  // namespace dpp::test

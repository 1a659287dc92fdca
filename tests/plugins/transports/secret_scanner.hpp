// Watches every process of the machine while a test runs and records any whose command line or
// environment contains one of the given secrets (a password, private key material).
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace dpp::test {

class SecretScanner {
 public:
   // Starts scanning /proc/*/cmdline and /proc/*/environ every 50 ms.
   explicit SecretScanner(std::vector<std::string> secrets);
   ~SecretScanner();
   SecretScanner(const SecretScanner&) = delete;
   SecretScanner& operator=(const SecretScanner&) = delete;

   // Stops scanning; what was found ("pid 123 (ssh) cmdline holds secret #0"), without the
   // secret itself. Also reports how many scans ran.
   std::vector<std::string> stop();
   int scans() const { return scans_.load(); }

   // Whether `text` contains any secret.
   bool contains_secret(const std::string& text) const;

 private:
   void scan_once();

   std::vector<std::string> secrets_;
   std::atomic<bool> running_{true};
   std::atomic<int> scans_{0};
   std::mutex mutex_;
   std::vector<std::string> findings_;
   std::thread thread_;
};

}  // namespace dpp::test

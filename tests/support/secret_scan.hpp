// A reusable secret scanner for every test suite: the secrets one test knows (an API token, a
// password, private key material), and the places they must never appear — text (logs, error
// messages, stdout), files and folders, JSON the emulator stored, and, sampled continuously while
// something runs, every process's argv (/proc/*/cmdline) and the environment of the processes a
// program under test started (/proc/*/environ).
//
//    SecretSet secrets;
//    secrets.add("API token", emulator.token());
//    secrets.add_private_key_file("client key", folder + "/id_ed25519");
//    ProcessSecretWatch watch(secrets, {.parent_executable = provider_path()});
//    … run the lifecycle …
//    EXPECT_THAT(watch.stop(), IsEmpty());
//    EXPECT_THAT(secrets.find_in("stderr of create", result.err), IsEmpty());
//
// Findings name the secret by its label and say where it was found, never the secret itself.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace dpp::test {

class SecretSet {
 public:
   // Adds a secret. Values shorter than 8 bytes are refused (std::invalid_argument): they would
   // match by chance and prove nothing.
   void add(const std::string& label, const std::string& value);
   // Adds the material of an OpenSSH private key file: each line of its base64 body (a leak of
   // any part of the key is a leak) and the whole body joined. Throws when the file holds none.
   void add_private_key_file(const std::string& label, const std::string& path);
   // The same for key text already in memory.
   void add_private_key_text(const std::string& label, const std::string& text);

   bool empty() const { return secrets_.empty(); }
   std::size_t size() const { return secrets_.size(); }
   std::vector<std::string> labels() const;

   // "<where> holds <label>" for each secret found in `text`.
   std::vector<std::string> find_in(const std::string& where, std::string_view text) const;
   // Every regular file under `folder` (recursively), each read whole; symlinks are not followed.
   // `except` names files (by path) that are meant to hold secrets (the key file itself).
   std::vector<std::string> find_in_tree(const std::string& folder,
                                         const std::set<std::string>& except = {}) const;
   std::vector<std::string> find_in_file(const std::string& path) const;

 private:
   struct Secret {
      std::string label;
      std::string value;
   };
   std::vector<Secret> secrets_;
};

struct WatchOptions {
   // Sampling period; every process is read once per sample.
   int interval_ms = 20;
   // When set: the environment of every process descended from a process running this
   // executable (/proc/<pid>/exe) is scanned too. The program's own environment is its input
   // (DevPod gives it the token), so only its children's counts.
   std::string parent_executable;
   // Processes never scanned (e.g. the emulator, which is given the token to check it).
   std::set<pid_t> ignore;
};

// Samples /proc on a thread until stop(). The test process's own argv is scanned too; its
// environment never is.
class ProcessSecretWatch {
 public:
   ProcessSecretWatch(const SecretSet& secrets, WatchOptions options = {});
   ~ProcessSecretWatch();
   ProcessSecretWatch(const ProcessSecretWatch&) = delete;
   ProcessSecretWatch& operator=(const ProcessSecretWatch&) = delete;

   // Stops sampling (after one last sample) and returns the findings ("pid 123 (ssh) argv holds
   // API token"), at most 50, each once.
   std::vector<std::string> stop();
   void ignore(pid_t pid);
   int samples() const { return samples_.load(); }
   // How many distinct processes were seen, and how many of them descended from the program.
   int processes_seen() const;
   int children_seen() const;
   // Command names of the program's descendants seen (e.g. "ssh", "sshpass"): proof of coverage.
   std::set<std::string> children_names() const;

 private:
   void sample();

   const SecretSet& secrets_;
   WatchOptions options_;
   std::atomic<bool> running_{true};
   std::atomic<int> samples_{0};
   mutable std::mutex mutex_;
   std::set<std::string> findings_;
   std::set<pid_t> seen_;
   std::set<pid_t> children_;
   std::set<std::string> children_names_;
   std::thread thread_;
};

// Facts about a running process that keep secrets out of reach: whether the kernel marks it
// dumpable (read as the owner of /proc/<pid>: a process that set PR_SET_DUMPABLE 0 has its /proc
// entries owned by root, so this tells only for a process that does not run as root), and its
// RLIMIT_CORE (soft and hard, from /proc/<pid>/limits; -1 for unlimited).
struct ProcessProtection {
   bool proc_owned_by_root = false;
   uid_t uid = 0;
   long long core_soft = -2;
   long long core_hard = -2;
};
ProcessProtection process_protection(pid_t pid);

}  // namespace dpp::test

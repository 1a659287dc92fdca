// Stands in for the workspaces of an emulator that runs the `none` runner: for every workspace
// the emulator reports running, a real OpenSSH sshd listens on its published port with the
// workspace's own host key, login user and authorized key (or password hash) — what the
// bootstrap script would start — so that create's endpoint check, status's probe and `command`
// meet a real SSH server without a Debian root filesystem (fast; the runner is not under test).
// It also plays the outages: an sshd killed, frozen or restarted. Everything stops by PID.
#pragma once

#include <atomic>
#include <chrono>
#include <csignal>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/emulator.hpp"
#include "support/sshd_server.hpp"
#include "support/temp_dir.hpp"

namespace dpp::test::reliability {

class WorkspaceStandIn {
 public:
   // Starts following `emulator` (which must outlive this object).
   explicit WorkspaceStandIn(const Emulator& emulator);
   ~WorkspaceStandIn();
   WorkspaceStandIn(const WorkspaceStandIn&) = delete;
   WorkspaceStandIn& operator=(const WorkspaceStandIn&) = delete;

   // The sshd of `machine_id`'s workspace gets `signal` (listener and sessions) and stays down
   // until resume(): a crashed workspace sshd, or (SIGSTOP) a frozen one. Without a running
   // sshd (not deployed yet), the workspace is just not served until resume().
   void suspend(const std::string& machine_id, int signal = SIGKILL);
   void resume(const std::string& machine_id);
   // Stops the sshd (every session with it) and starts it again on the same port.
   void restart(const std::string& machine_id);

   // Where the machine's sshd listens now, if it runs.
   std::optional<int> port_of(const std::string& machine_id) const;
   // Waits (up to `guard`) until the machine is served (or, with false, not served).
   bool wait_until_served(const std::string& machine_id, bool served, std::chrono::milliseconds guard) const;
   // How many sshd run.
   std::size_t count() const;
   // sshd start failures seen so far (each once).
   std::vector<std::string> problems() const;

   // The machine id a Dokploy appName belongs to ("devpod-<machine>-<6 chars>"), or "".
   static std::string machine_of_group(const std::string& group);

 private:
   struct Wanted {
      std::string group;
      std::string host_ip;
      int port = 0;
      std::string user;
      std::string authorized_key;
      std::string password_hash;
      std::string host_key_base64;
      bool operator==(const Wanted&) const = default;
   };
   struct Served {
      Wanted wanted;
      std::unique_ptr<TempDir> key_dir;
      std::unique_ptr<SshdServer> sshd;
   };

   void run();
   void sync();
   void start(const std::string& key, const Wanted& wanted);

   const Emulator& emulator_;
   mutable std::mutex mutex_;
   std::map<std::string, Served> served_;  // by workspace key
   std::set<std::string> suspended_;       // machine ids
   std::set<std::string> problems_;
   std::map<std::string, std::string> frozen_;  // machine id → key of a SIGSTOPped sshd
   std::atomic<bool> stopping_{false};
   std::thread thread_;
};

}  // namespace dpp::test::reliability

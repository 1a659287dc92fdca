// Real sshd servers for the emulator's `none`-runner workspaces, following its workspace list.
#include "workspace_stand_in.hpp"

#include <Poco/Base64Decoder.h>

#include <sstream>

namespace dpp::test::reliability {
namespace {

constexpr auto kPeriod = std::chrono::milliseconds(50);
// The port inside the workspace that the bootstrap's sshd listens on (core's kWorkspaceSshPort).
constexpr int kWorkspaceSshPort = 2222;

std::string decode_base64(const std::string& text) {
   std::istringstream in(text);
   Poco::Base64Decoder decoder(in);
   std::string out;
   char c;
   while (decoder.get(c)) out += c;
   return out;
}

std::string env_value(const nlohmann::json& spec, const std::string& name) {
   std::string value;
   if (!spec.contains("env") || !spec["env"].is_array()) return value;
   for (const auto& pair : spec["env"])
      if (pair.is_array() && pair.size() == 2 && pair[0] == name) value = pair[1].get<std::string>();
   return value;
}

}  // namespace

WorkspaceStandIn::WorkspaceStandIn(const Emulator& emulator) : emulator_(emulator) {
   thread_ = std::thread([this] { run(); });
}

WorkspaceStandIn::~WorkspaceStandIn() {
   stopping_ = true;
   if (thread_.joinable()) thread_.join();
   std::lock_guard lock(mutex_);
   for (auto& [key, served] : served_) served.sshd->kill(SIGCONT);
   served_.clear();  // each SshdServer stops its sshd and sessions by PID
}

std::string WorkspaceStandIn::machine_of_group(const std::string& group) {
   constexpr std::size_t kPrefix = 7;  // "devpod-"
   constexpr std::size_t kSuffix = 7;  // "-" + 6 random characters from Dokploy
   if (group.size() <= kPrefix + kSuffix || group.rfind("devpod-", 0) != 0 ||
       group[group.size() - kSuffix] != '-')
      return "";
   return group.substr(kPrefix, group.size() - kPrefix - kSuffix);
}

void WorkspaceStandIn::run() {
   while (!stopping_) {
      try {
         sync();
      } catch (const std::exception&) {
         // The emulator may be busy resetting; the next round looks again.
      }
      std::this_thread::sleep_for(kPeriod);
   }
}

void WorkspaceStandIn::sync() {
   const nlohmann::json workspaces = emulator_.workspaces();
   std::map<std::string, Wanted> wanted;
   for (const auto& [key, workspace] : workspaces.items()) {
      if (workspace.value("state", "") != "running" || !workspace.contains("spec") ||
          !workspace["spec"].is_object())
         continue;
      const nlohmann::json& spec = workspace["spec"];
      Wanted entry;
      entry.group = workspace.value("group", "");
      for (const auto& port : spec.value("ports", nlohmann::json::array()))
         if (port.value("target", 0) == kWorkspaceSshPort) {
            entry.port = port.value("published", 0);
            entry.host_ip = port.value("host_ip", "127.0.0.1");
         }
      entry.user = env_value(spec, "DPP_SSH_USER");
      entry.authorized_key = env_value(spec, "DPP_SSH_AUTHORIZED_KEY");
      entry.password_hash = env_value(spec, "DPP_SSH_PASSWORD_HASH");
      entry.host_key_base64 = env_value(spec, "DPP_SSH_HOST_KEY");
      if (entry.port == 0 || entry.user.empty() || entry.host_key_base64.empty()) continue;
      wanted[key] = entry;
   }

   std::lock_guard lock(mutex_);
   for (auto it = served_.begin(); it != served_.end();) {
      const std::string machine = machine_of_group(it->second.wanted.group);
      if (frozen_.count(machine) && frozen_[machine] == it->first) {
         ++it;  // a frozen sshd stays as it is until resume()
         continue;
      }
      const auto want = wanted.find(it->first);
      const bool keep = want != wanted.end() && want->second == it->second.wanted &&
                        !suspended_.count(machine) && it->second.sshd->running();
      it = keep ? std::next(it) : served_.erase(it);
   }
   for (const auto& [key, entry] : wanted) {
      if (served_.count(key) || suspended_.count(machine_of_group(entry.group))) continue;
      start(key, entry);
   }
}

void WorkspaceStandIn::start(const std::string& key, const Wanted& wanted) {
   Served served;
   served.wanted = wanted;
   served.key_dir = std::make_unique<TempDir>("dpp-stand-in-key");
   SshdOptions options;
   options.user = wanted.user;
   options.login_shell = "/bin/sh";
   if (!wanted.authorized_key.empty()) options.authorized_keys = {wanted.authorized_key};
   if (!wanted.password_hash.empty()) {
      options.password_hash = wanted.password_hash;
      options.password_authentication = true;
   }
   options.host_key_file = served.key_dir->write("host_key", decode_base64(wanted.host_key_base64), 0600);
   options.listen_address = wanted.host_ip;
   options.port = wanted.port;
   options.log_level = "INFO";  // "Server listening on …" is how the fixture knows it is up
   try {
      served.sshd = std::make_unique<SshdServer>(options);
   } catch (const std::exception& e) {
      // Most likely the port is still held by something else; the next round tries again.
      const std::string text = e.what();
      problems_.insert("sshd for " + key + " on " + wanted.host_ip + ":" + std::to_string(wanted.port) +
                       ": " + text.substr(0, 300));
      return;
   }
   served_[key] = std::move(served);
}

void WorkspaceStandIn::suspend(const std::string& machine_id, int signal) {
   std::lock_guard lock(mutex_);
   suspended_.insert(machine_id);
   for (auto it = served_.begin(); it != served_.end();) {
      if (machine_of_group(it->second.wanted.group) != machine_id) {
         ++it;
         continue;
      }
      it->second.sshd->kill(signal);
      if (signal == SIGSTOP) {
         frozen_[machine_id] = it->first;
         ++it;
      } else {
         it = served_.erase(it);
      }
   }
}

void WorkspaceStandIn::resume(const std::string& machine_id) {
   std::lock_guard lock(mutex_);
   suspended_.erase(machine_id);
   if (auto frozen = frozen_.find(machine_id); frozen != frozen_.end()) {
      if (auto served = served_.find(frozen->second); served != served_.end())
         served->second.sshd->kill(SIGCONT);
      frozen_.erase(frozen);
   }
}

void WorkspaceStandIn::restart(const std::string& machine_id) {
   std::lock_guard lock(mutex_);
   for (auto& [key, served] : served_)
      if (machine_of_group(served.wanted.group) == machine_id) served.sshd->restart();
}

std::optional<int> WorkspaceStandIn::port_of(const std::string& machine_id) const {
   std::lock_guard lock(mutex_);
   for (const auto& [key, served] : served_)
      if (machine_of_group(served.wanted.group) == machine_id) return served.sshd->port();
   return std::nullopt;
}

bool WorkspaceStandIn::wait_until_served(const std::string& machine_id, bool served,
                                         std::chrono::milliseconds guard) const {
   const auto deadline = std::chrono::steady_clock::now() + guard;
   while (port_of(machine_id).has_value() != served) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
   }
   return true;
}

std::size_t WorkspaceStandIn::count() const {
   std::lock_guard lock(mutex_);
   return served_.size();
}

std::vector<std::string> WorkspaceStandIn::problems() const {
   std::lock_guard lock(mutex_);
   return {problems_.begin(), problems_.end()};
}

}  // namespace dpp::test::reliability

// A real OpenSSH sshd for tests (see the header for the two modes).
#include "support/sshd_server.hpp"

#include <dirent.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/test_paths.hpp"

namespace dpp::test {
namespace {

constexpr const char* kSshd = "/usr/sbin/sshd";
constexpr const char* kSshKeygen = "/usr/bin/ssh-keygen";
constexpr const char* kUnshare = "/usr/bin/unshare";

std::string read_file(const std::string& path) {
   std::ifstream in(path, std::ios::binary);
   std::stringstream buffer;
   buffer << in.rdbuf();
   return buffer.str();
}

bool executable(const char* path) {
   return ::access(path, X_OK) == 0;
}

std::string trim(std::string text) {
   while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
      text.pop_back();
   return text;
}

// `file` without the lines whose first field is `name`, plus `line`.
std::string replace_entry(const std::string& file, const std::string& name, const std::string& line) {
   std::istringstream in(read_file(file));
   std::string out, current;
   while (std::getline(in, current))
      if (current.rfind(name + ":", 0) != 0) out += current + "\n";
   return out + line + "\n";
}

bool has_entry(const std::string& file, const std::string& name) {
   std::istringstream in(read_file(file));
   std::string current;
   while (std::getline(in, current))
      if (current.rfind(name + ":", 0) == 0) return true;
   return false;
}

// Parent PID and real uid of every process, from /proc.
struct ProcessInfo {
   pid_t parent = 0;
   uid_t uid = 0;
};
std::map<pid_t, ProcessInfo> process_table() {
   std::map<pid_t, ProcessInfo> table;
   DIR* proc = ::opendir("/proc");
   if (!proc) return table;
   while (dirent* entry = ::readdir(proc)) {
      char* end = nullptr;
      const long pid = std::strtol(entry->d_name, &end, 10);
      if (!end || *end != '\0' || pid <= 0) continue;
      const std::string status = read_file("/proc/" + std::string(entry->d_name) + "/status");
      ProcessInfo info;
      std::istringstream lines(status);
      std::string line;
      while (std::getline(lines, line)) {
         if (line.rfind("PPid:", 0) == 0) info.parent = static_cast<pid_t>(std::atol(line.c_str() + 5));
         if (line.rfind("Uid:", 0) == 0) info.uid = static_cast<uid_t>(std::atol(line.c_str() + 4));
      }
      if (!status.empty()) table[static_cast<pid_t>(pid)] = info;
   }
   ::closedir(proc);
   return table;
}

// A uid/gid no account on this machine uses, different for concurrent fixtures.
uid_t unused_id() {
   static std::atomic<unsigned> counter{0};
   const unsigned base = 200000 + static_cast<unsigned>(::getpid() % 100000) * 16;
   for (unsigned attempt = 0; attempt < 16; ++attempt) {
      const uid_t id = base + (counter++ % 16);
      if (!::getpwuid(id)) return id;
   }
   return base;
}

bool unshare_works() {
   static const bool works = [] {
      ProcessOptions probe;
      probe.argv = {kUnshare, "--mount", "--propagation", "private", "/bin/true"};
      return run_process(probe, std::chrono::seconds(20)).exit_code == 0;
   }();
   return works;
}

}  // namespace

std::optional<std::string> SshdServer::unavailable() {
   if (!executable(kSshd)) return std::string("no ") + kSshd + " (Debian package openssh-server)";
   if (!executable(kSshKeygen)) return std::string("no ") + kSshKeygen + " (Debian package openssh-client)";
   if (running_as_root()) {
      if (!executable(kUnshare)) return std::string("no ") + kUnshare + " (Debian package util-linux)";
      if (!unshare_works()) return std::string("`unshare --mount` is not permitted here");
   }
   return std::nullopt;
}

bool SshdServer::can_use_passwords() {
   return running_as_root() && !unavailable();
}

SshdServer::SshdServer(SshdOptions options) : options_(std::move(options)) {
   if (auto reason = unavailable()) throw std::runtime_error("sshd cannot run here: " + *reason);
   prepare();
   start();
}

SshdServer::~SshdServer() {
   try {
      stop();
   } catch (...) {
   }
}

void SshdServer::prepare() {
   root_mode_ = running_as_root();
   dir_ = std::make_unique<TempDir>("dpp-sshd");
   // The login user must reach its home inside this folder.
   ::chmod(dir_->path().c_str(), 0755);
   log_file_ = dir_->file("sshd.log");

   host_key_file_ = dir_->file("ssh_host_key");
   if (!options_.host_key_file.empty()) {
      dir_->write("ssh_host_key", read_file(options_.host_key_file), 0600);
   } else {
      ProcessOptions keygen;
      keygen.argv = {kSshKeygen,      "-q", "-t",          "ed25519", "-N", "", "-C",
                     "dpp-test-host", "-f", host_key_file_};
      const ProcessResult made = run_process(keygen);
      if (made.exit_code != 0) throw std::runtime_error("ssh-keygen failed: " + made.err);
   }
   ProcessOptions show;
   show.argv = {kSshKeygen, "-y", "-f", host_key_file_};
   const ProcessResult shown = run_process(show);
   if (shown.exit_code != 0) throw std::runtime_error("ssh-keygen -y failed: " + shown.err);
   host_public_key_ = trim(shown.out);

   std::string authorized;
   for (const auto& key : options_.authorized_keys) authorized += key + "\n";
   std::ostringstream config;
   if (root_mode_) {
      if (options_.user.empty() || options_.user == "root")
         throw std::runtime_error("SshdServer: the login user must not be root");
      user_ = options_.user;
      uid_ = unused_id();
      gid_ = uid_;
      home_ = dir_->file("home/" + user_);
      dir_->write("home/" + user_ + "/.ssh/authorized_keys", authorized, 0600);
      for (const std::string& path : {home_, home_ + "/.ssh", home_ + "/.ssh/authorized_keys"})
         if (::chown(path.c_str(), uid_, gid_) != 0) throw std::runtime_error("chown " + path + " failed");
      ::chmod(home_.c_str(), 0755);
      ::chmod((home_ + "/.ssh").c_str(), 0700);

      const long today = static_cast<long>(std::time(nullptr) / 86400);
      std::string passwd = replace_entry("/etc/passwd", user_,
                                         user_ + ":x:" + std::to_string(uid_) + ":" + std::to_string(gid_) +
                                             ":dpp test user:" + home_ + ":" + options_.login_shell);
      // sshd's privilege separation needs its own user.
      if (!has_entry("/etc/passwd", "sshd"))
         passwd += "sshd:x:" + std::to_string(uid_ + 1) + ":65534::/run/sshd:/usr/sbin/nologin\n";
      dir_->write("etc/passwd", passwd, 0644);
      dir_->write(
          "etc/shadow",
          replace_entry("/etc/shadow", user_,
                        user_ + ":" + (options_.password_hash.empty() ? "*" : options_.password_hash) + ":" +
                            std::to_string(today) + ":0:99999:7:::"),
          0640);
      dir_->write("etc/group", replace_entry("/etc/group", user_, user_ + ":x:" + std::to_string(gid_) + ":"),
                  0644);
      config << "AuthorizedKeysFile .ssh/authorized_keys\n"
             << "StrictModes yes\n"
             << "PermitRootLogin no\n"
             << "AllowUsers " << user_ << "\n";
   } else {
      const passwd* me = ::getpwuid(::geteuid());
      if (!me) throw std::runtime_error("SshdServer: the current user has no passwd entry");
      user_ = me->pw_name;
      uid_ = me->pw_uid;
      gid_ = me->pw_gid;
      home_ = me->pw_dir;
      // Not root: the keys live in our folder, whose parents (/tmp) StrictModes would reject.
      config << "AuthorizedKeysFile " << dir_->write("authorized_keys", authorized, 0600) << "\n"
             << "StrictModes no\n";
   }
   config << "ListenAddress " << options_.listen_address << "\n"  // the port is given with -p
          << "HostKey " << host_key_file_ << "\n"
          << "PidFile none\n"
          << "UsePAM no\n"
          << "PubkeyAuthentication " << (options_.pubkey_authentication ? "yes" : "no") << "\n"
          << "PasswordAuthentication " << (options_.password_authentication ? "yes" : "no") << "\n"
          << "KbdInteractiveAuthentication no\n"
          << "PermitEmptyPasswords no\n"
          << "X11Forwarding no\n"
          << "PrintMotd no\n"
          << "PrintLastLog no\n"
          << "MaxStartups 100\n"
          << "MaxSessions 64\n"
          << "LogLevel " << options_.log_level << "\n"
          << "Subsystem sftp internal-sftp\n";
   for (const auto& line : options_.extra_config) config << line << "\n";
   config_file_ = dir_->write("sshd_config", config.str(), 0600);
}

void SshdServer::start() {
   const bool fixed_port = options_.port != 0 || port_ != 0;
   if (port_ == 0) port_ = options_.port;
   if (root_mode_ && ::access("/run/sshd", F_OK) != 0) ::mkdir("/run/sshd", 0755);
   for (int attempt = 0; attempt < 5; ++attempt) {
      if (port_ == 0) port_ = free_tcp_port(options_.listen_address);
      const std::string port_text = std::to_string(port_);
      ProcessOptions launch;
      if (root_mode_) {
         launch.argv = {kUnshare,
                        "--mount",
                        "--propagation",
                        "private",
                        "/bin/sh",
                        "-c",
                        "mount --bind \"$1\" /etc/passwd && mount --bind \"$2\" /etc/shadow && "
                        "mount --bind \"$3\" /etc/group && exec \"$4\" -D -e -f \"$5\" -p \"$6\"",
                        "sh",
                        dir_->file("etc/passwd"),
                        dir_->file("etc/shadow"),
                        dir_->file("etc/group"),
                        kSshd,
                        config_file_,
                        port_text};
      } else {
         launch.argv = {kSshd, "-D", "-e", "-f", config_file_, "-p", port_text};
      }
      const std::size_t log_before = read_file(log_file_).size();
      process_ = std::make_unique<ChildProcess>(launch, log_file_);
      const std::string ready = "Server listening on " + options_.listen_address + " port " + port_text;
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
      while (std::chrono::steady_clock::now() < deadline) {
         const std::string text = read_file(log_file_).substr(log_before);
         if (text.find(ready) != std::string::npos) return;
         if (!process_->alive()) {
            process_.reset();
            if (!fixed_port && text.find("Address already in use") != std::string::npos) {
               port_ = 0;
               break;
            }
            throw std::runtime_error("sshd did not start:\n" + text);
         }
         std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      if (process_) {
         process_.reset();
         throw std::runtime_error("sshd did not listen within 30 s:\n" +
                                  read_file(log_file_).substr(log_before));
      }
   }
   throw std::runtime_error("sshd found no free port in 5 attempts");
}

pid_t SshdServer::pid() const {
   return process_ ? process_->pid() : 0;
}

bool SshdServer::running() {
   return process_ && process_->alive();
}

std::vector<pid_t> SshdServer::session_processes() const {
   std::vector<pid_t> found;
   const pid_t listener = pid();
   const auto table = process_table();
   std::set<pid_t> members;
   if (listener > 0) members.insert(listener);
   // Descendants of the listener, to any depth.
   for (bool grew = true; grew;) {
      grew = false;
      for (const auto& [pid, info] : table)
         if (!members.count(pid) && members.count(info.parent)) grew = members.insert(pid).second || grew;
   }
   // In root mode the login user is ours alone: its orphaned processes belong to the sessions.
   if (root_mode_)
      for (const auto& [pid, info] : table)
         if (info.uid == uid_) members.insert(pid);
   for (pid_t pid : members)
      if (pid != listener) found.push_back(pid);
   return found;
}

void SshdServer::kill(int signal) {
   const pid_t listener = pid();
   for (pid_t session : session_processes()) ::kill(session, signal);
   if (listener > 0) ::kill(listener, signal);
}

void SshdServer::stop() {
   if (!process_) return;
   kill(SIGCONT);
   for (pid_t session : session_processes()) ::kill(session, SIGKILL);
   process_->stop(std::chrono::seconds(5));
   process_.reset();
   if (root_mode_)
      for (pid_t leftover : session_processes()) ::kill(leftover, SIGKILL);
}

void SshdServer::restart() {
   stop();
   start();
}

std::string SshdServer::log() const {
   return read_file(log_file_);
}

}  // namespace dpp::test

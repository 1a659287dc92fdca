// A real OpenSSH sshd for tests: started by the test on a free loopback port with its own
// configuration and host key, stopped by PID (also when the test fails).
//
// As root, sshd runs in a private mount namespace (`unshare --mount`) in which /etc/passwd,
// /etc/shadow and /etc/group are bind-mounted copies that add the login user (home in a temp
// folder, chosen login shell, optional password hash): nothing on the machine changes, and the
// user gets a uid of its own, so every process it starts can be found and stopped.
// Not root, sshd runs as the current user and can only log that user in: then `user` and
// `login_shell` are ignored and password logins are impossible (check can_use_passwords()).
//
//    dpp::test::SshdOptions options;
//    options.authorized_key = key_pair.public_line;
//    dpp::test::SshdServer sshd(options);              // throws when sshd cannot start
//    connect to 127.0.0.1:sshd.port(), pin sshd.host_public_key(), log in as sshd.user()
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

namespace dpp::test {

struct SshdOptions {
   // The login user (root mode only; never "root").
   std::string user = "devpod";
   // Its login shell (root mode only), e.g. "/bin/bash" or "/usr/bin/fish".
   std::string login_shell = "/bin/sh";
   // OpenSSH public key lines accepted for the user ("" = none).
   std::vector<std::string> authorized_keys;
   // crypt(3) hash of the user's password ("$6$…"); "" = no password (the account is "*").
   std::string password_hash;
   bool password_authentication = false;
   bool pubkey_authentication = true;
   // Private host key file to use (copied); "" = a fresh ed25519 key from ssh-keygen.
   std::string host_key_file;
   std::string listen_address = "127.0.0.1";
   // 0 = a free port (retried when taken meanwhile).
   int port = 0;
   // More sshd_config lines, appended last (later lines do not override earlier ones in sshd:
   // an option set above cannot be changed here).
   std::vector<std::string> extra_config;
   // sshd's LogLevel.
   std::string log_level = "VERBOSE";
};

class SshdServer {
 public:
   // Writes the configuration and starts sshd; returns once it listens. Throws
   // std::runtime_error with sshd's log when it does not come up.
   explicit SshdServer(SshdOptions options = {});
   ~SshdServer();
   SshdServer(const SshdServer&) = delete;
   SshdServer& operator=(const SshdServer&) = delete;

   // Why sshd cannot run here (no /usr/sbin/sshd, no unshare as root…), or nullopt.
   static std::optional<std::string> unavailable();
   // Whether a password login can be tested (root mode).
   static bool can_use_passwords();

   int port() const { return port_; }
   const std::string& address() const { return options_.listen_address; }
   // The host key as an OpenSSH public key line ("ssh-ed25519 AAAA…").
   const std::string& host_public_key() const { return host_public_key_; }
   const std::string& host_private_key_file() const { return host_key_file_; }
   // The user that can log in, and its home folder.
   const std::string& user() const { return user_; }
   const std::string& home() const { return home_; }
   uid_t uid() const { return uid_; }
   // PID of the listening sshd (0 when stopped).
   pid_t pid() const;
   bool running();

   // Stops sshd and every process of its sessions (SIGCONT first, so stopped ones can go).
   void stop();
   // Starts it again on the same port with the same host key and configuration.
   void restart();
   // Sends `signal` to the listening sshd and to all its session processes (e.g. SIGKILL to
   // drop every connection, SIGSTOP to make the server silent).
   void kill(int signal);
   // What sshd logged so far (-e: to stderr, captured in a file).
   std::string log() const;

 private:
   void prepare();
   void start();
   std::vector<pid_t> session_processes() const;

   SshdOptions options_;
   std::unique_ptr<TempDir> dir_;
   std::unique_ptr<ChildProcess> process_;
   int port_ = 0;
   bool root_mode_ = false;
   std::string user_;
   std::string home_;
   uid_t uid_ = 0;
   gid_t gid_ = 0;
   std::string host_key_file_;
   std::string host_public_key_;
   std::string config_file_;
   std::string log_file_;
};

}  // namespace dpp::test

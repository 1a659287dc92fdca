// Building the ssh command line.
#include "ssh_invocation.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>

namespace dpp::plugins::system_ssh {
namespace {

std::string seconds(std::chrono::milliseconds duration) {
   // ssh takes whole seconds; round up so that a bound is never shorter than asked.
   return std::to_string((duration.count() + 999) / 1000);
}

}  // namespace

std::vector<std::string> ssh_argv(const SshInvocation& invocation, const sdk::SshTarget& target) {
   const bool password = target.credentials.kind == DPP_CREDENTIAL_PASSWORD;
   std::vector<std::string> argv;
   if (password) argv = {invocation.sshpass, "-d", "3"};
   auto option = [&argv](const std::string& name, const std::string& value) {
      argv.push_back("-o");
      argv.push_back(name + "=" + value);
   };
   argv.insert(argv.end(), {invocation.ssh, "-T", "-e", "none", "-F", "none", "-E", invocation.log_file});
   // DEBUG1 puts the facts the outcome is read from into the private log: the presented host
   // key, "Authenticated to", the remote "Exit status".
   option("LogLevel", "DEBUG1");
   option("BatchMode", password ? "no" : "yes");
   option("HostKeyAlias", kHostKeyAlias);
   option("UserKnownHostsFile", invocation.known_hosts_file);
   option("GlobalKnownHostsFile", "/dev/null");
   option("StrictHostKeyChecking", "yes");
   option("UpdateHostKeys", "no");
   option("CheckHostIP", "no");
   option("HashKnownHosts", "no");
   option("IdentityAgent", "none");
   option("IdentitiesOnly", "yes");
   option("GSSAPIAuthentication", "no");
   option("HostbasedAuthentication", "no");
   if (password) {
      option("PreferredAuthentications", "password,keyboard-interactive");
      option("PubkeyAuthentication", "no");
      option("PasswordAuthentication", "yes");
      option("KbdInteractiveAuthentication", "yes");
      option("NumberOfPasswordPrompts", "1");
   } else {
      option("IdentityFile", target.credentials.private_key_file);
      option("PreferredAuthentications", "publickey");
      option("PubkeyAuthentication", "yes");
      option("PasswordAuthentication", "no");
      option("KbdInteractiveAuthentication", "no");
   }
   option("ForwardAgent", "no");
   option("ForwardX11", "no");
   option("ClearAllForwardings", "yes");
   option("Tunnel", "no");
   option("PermitLocalCommand", "no");
   option("RequestTTY", "no");
   option("ServerAliveInterval", invocation.keepalive.count() > 0 ? seconds(invocation.keepalive) : "0");
   option("ServerAliveCountMax", "3");
   option("TCPKeepAlive", "yes");
   option("ConnectTimeout", std::to_string(std::max<long long>(1, invocation.connect_timeout.count())));
   option("ConnectionAttempts", "1");
   if (invocation.control_path.empty()) {
      option("ControlMaster", "no");
      option("ControlPath", "none");
   } else {
      option("ControlMaster", "auto");
      option("ControlPath", invocation.control_path);
      option("ControlPersist", std::to_string(std::max<long long>(1, invocation.control_persist.count())));
   }
   argv.insert(argv.end(), {"-l", target.credentials.user, "-p", std::to_string(target.port), "--",
                            target.host, invocation.remote_command});
   return argv;
}

std::string known_hosts_line(const SshPublicKey& key) {
   return std::string(kHostKeyAlias) + " " + key.line() + "\n";
}

std::string control_path(const std::string& folder, const sdk::SshTarget& target,
                         const SshPublicKey& pinned) {
   const sdk::Credentials& login = target.credentials;
   std::string identity;
   for (const std::string& part : {login.user, target.host, std::to_string(target.port), pinned.blob,
                                   std::to_string(login.kind), login.private_key_file}) {
      identity += part;
      identity += '\0';
   }
   unsigned char digest[EVP_MAX_MD_SIZE];
   unsigned int length = 0;
   EVP_Digest(identity.data(), identity.size(), digest, &length, EVP_sha256(), nullptr);
   char hex[17];
   for (int i = 0; i < 8; ++i) std::snprintf(hex + 2 * i, 3, "%02x", digest[i]);
   return folder + "/cm-" + hex;
}

}  // namespace dpp::plugins::system_ssh

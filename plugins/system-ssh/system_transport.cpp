// The system transport: probe and run with OpenSSH.
#include "system_transport.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include "child_process.hpp"
#include "common/ssh_launch.hpp"
#include "common/ssh_public_key.hpp"
#include "common/ssh_tcp.hpp"
#include "common/ssh_transport_config.hpp"
#include "keyscan_probe.hpp"
#include "private_files.hpp"
#include "ssh_invocation.hpp"
#include "ssh_outcome.hpp"
#include "stdin_feed.hpp"

namespace dpp::plugins::system_ssh {
namespace {

// True when ssh's config parser takes `path` as it is (-o IdentityFile=<path>).
bool ssh_config_safe_path(const std::string& path) {
   if (path.empty() || path.front() == '~') return false;
   for (char c : path) {
      const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                         c == '/' || c == '.' || c == '_' || c == '-' || c == '+' || c == '@' || c == ':';
      if (!plain) return false;
   }
   return true;
}

// The private key at `path` (never through a symlink).
std::string read_key_file(const std::string& path) {
   const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
   if (fd < 0)
      throw sdk::Error(DPP_E_IO, "cannot open the private key " + path + ": " + std::strerror(errno));
   std::string content;
   char buffer[4096];
   ssize_t n;
   while ((n = ::read(fd, buffer, sizeof buffer)) != 0) {
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 || content.size() > (1u << 20)) {
         const int error = n < 0 ? errno : EFBIG;
         ::close(fd);
         throw sdk::Error(DPP_E_IO, "cannot read the private key " + path + ": " + std::strerror(error));
      }
      content.append(buffer, static_cast<std::size_t>(n));
   }
   ::close(fd);
   return content;
}

using Clock = std::chrono::steady_clock;

// A pipe holding the password for `sshpass -d 3`: written and closed before ssh starts, so the
// password is never in an argv, an environment or a file.
class PasswordPipe {
 public:
   explicit PasswordPipe(const std::string& password) {
      int fds[2];
      if (::pipe2(fds, O_CLOEXEC) != 0)
         throw sdk::Error(DPP_E_IO, std::string("cannot create a pipe: ") + std::strerror(errno));
      read_ = fds[0];
      std::string line = password + "\n";
      // A pipe holds 64 KiB: the write cannot block for any real password.
      const ssize_t written = ::write(fds[1], line.data(), line.size());
      sdk::Credentials::wipe(line);
      ::close(fds[1]);
      if (written < 0)
         throw sdk::Error(DPP_E_IO, std::string("cannot write to a pipe: ") + std::strerror(errno));
   }
   ~PasswordPipe() { close(); }
   PasswordPipe(const PasswordPipe&) = delete;
   PasswordPipe& operator=(const PasswordPipe&) = delete;
   int fd() const { return read_; }
   void close() {
      if (read_ >= 0) ::close(read_);
      read_ = -1;
   }

 private:
   int read_ = -1;
};

std::string sibling(const std::string& program, const std::string& name) {
   const auto slash = program.rfind('/');
   const std::string candidate = program.substr(0, slash + 1) + name;
   return ::access(candidate.c_str(), X_OK) == 0 ? candidate : find_program(name);
}

}  // namespace

SystemTransport::SystemTransport(sdk::Host host, const sdk::Options& options)
    : host_(host),
      keepalive_(keepalive_interval(options)),
      reuse_(options.get_bool(kOptSshReuse, false)),
      reuse_idle_(std::chrono::seconds(options.get_u64(kOptSshReuseIdle, 600'000) / 1000)) {
   const std::string wanted = options.get_or(kOptSshProgram, "");
   ssh_ = find_program(wanted.empty() ? "ssh" : wanted);
   if (ssh_.empty()) {
      if (!wanted.empty())
         throw sdk::Error(DPP_E_CONFIG, std::string(kOptSshProgram) + "=" + wanted +
                                            " is not an executable file; point it to OpenSSH's ssh");
      throw sdk::Error(
          DPP_E_CONFIG,
          "the system transport needs OpenSSH's ssh client, which is not on PATH: install the Debian "
          "package openssh-client, set " +
              std::string(kOptSshProgram) + ", or use DOKPLOY_SSH_TRANSPORT=libssh2");
   }
   keyscan_ = sibling(ssh_, "ssh-keyscan");
}

void SystemTransport::probe(const sdk::SshTarget& target, uint32_t timeout_ms) {
   canceller_.reset();
   keyscan_probe(keyscan_, target, timeout_ms ? timeout_ms : kDefaultConnectTimeoutMs, canceller_, host_);
}

namespace {

// What one run needs that does not change between its attempts.
struct RunPlan {
   const sdk::RunRequest& request;
   SshInvocation invocation;
   SshLaunch launch;
   SshRunContext context;
   Clock::time_point deadline;
};

std::string sshpass_for_password_logins() {
   std::string sshpass = find_program("sshpass");
   if (sshpass.empty())
      throw sdk::Error(
          DPP_E_CONFIG,
          "password logins through the system transport need sshpass, which is not on PATH: install "
          "the Debian package sshpass, or use DOKPLOY_SSH_TRANSPORT=libssh2 or DOKPLOY_SSH_AUTH=key");
   return sshpass;
}

SshRunContext run_context(const sdk::SshTarget& target, const SshPublicKey& pinned,
                          std::chrono::milliseconds keepalive) {
   const bool password = target.credentials.kind == DPP_CREDENTIAL_PASSWORD;
   SshRunContext context;
   context.endpoint = ssh_endpoint_name(target.host, target.port);
   context.login = ssh_login_name(target);
   context.credential = password ? "the password" : "the private key " + target.credentials.private_key_file;
   context.pinned_fingerprint = pinned.fingerprint();
   context.pinned_type = pinned.type;
   context.keepalive = keepalive;
   context.password = password;
   return context;
}

Clock::time_point connect_deadline(const sdk::SshTarget& target) {
   return Clock::now() + std::chrono::milliseconds(target.connect_timeout_ms ? target.connect_timeout_ms
                                                                             : kDefaultConnectTimeoutMs);
}

// ssh reads -o values through its config parser (quotes, `%` tokens, `${VAR}`): a key file whose
// path holds any of that is handed over as a private copy under a plain name.
sdk::SshTarget with_config_safe_key(const sdk::SshTarget& target, RunFiles& files) {
   sdk::SshTarget effective = target;
   if (target.credentials.kind != DPP_CREDENTIAL_PASSWORD &&
       !ssh_config_safe_path(target.credentials.private_key_file)) {
      std::string key = read_key_file(target.credentials.private_key_file);
      effective.credentials.private_key_file = files.write("id_ed25519", key);
      std::fill(key.begin(), key.end(), '\0');
   }
   return effective;
}

// Runs one ssh process to its end, with the password on its own pipe and a long script ahead of
// the caller's stdin; ssh's exit code.
int run_ssh_process(const RunPlan& plan, const sdk::SshTarget& effective, const SshCanceller& canceller,
                    const sdk::Host& host) {
   ChildSpec spec;
   spec.argv = ssh_argv(plan.invocation, effective);
   spec.env = minimal_environment();
   spec.stdin_fd = plan.request.stdin_fd;
   spec.stdout_fd = plan.request.stdout_fd;
   spec.stderr_fd = plan.request.stderr_fd;
   std::optional<PasswordPipe> secret;
   if (effective.credentials.kind == DPP_CREDENTIAL_PASSWORD) {
      secret.emplace(effective.credentials.password);
      spec.extra_fd = secret->fd();
   }
   std::optional<StdinFeed> feed;
   if (!plan.launch.stdin_prefix.empty()) {
      feed.emplace(plan.launch.stdin_prefix, plan.request.stdin_fd);
      spec.stdin_fd = feed->child_end();
   }
   int code;
   {
      Child child(spec);
      if (secret) secret->close();
      if (feed) feed->start();
      code = child.wait(canceller, host);
   }
   if (feed) {
      feed->stop();
      if (!feed->read_error().empty())
         host.warn("reading stdin failed (", feed->read_error(), "); sent EOF to the remote command");
   }
   return code;
}

// The ssh (and sshpass) command line of a run, without its per-attempt files.
SshInvocation invocation_for(const std::string& ssh, std::chrono::milliseconds keepalive,
                             std::optional<std::chrono::seconds> reuse_idle, const sdk::SshTarget& target,
                             const SshPublicKey& pinned, const SshLaunch& launch) {
   SshInvocation invocation;
   invocation.ssh = ssh;
   if (target.credentials.kind == DPP_CREDENTIAL_PASSWORD) invocation.sshpass = sshpass_for_password_logins();
   invocation.keepalive = keepalive;
   // A script too long for the "exec" request follows on stdin, read by a loader; so it never
   // reaches ssh's argv either (ssh_launch.hpp).
   invocation.remote_command = launch.exec_command;
   if (reuse_idle) {
      invocation.control_path = control_path(private_folder(), target, pinned);
      invocation.control_persist = *reuse_idle;
   }
   return invocation;
}

// One ssh process: the remote command's result in `ran`, or why no session was made.
std::optional<sdk::AttemptFailure> attempt(RunPlan& plan, const SshCanceller& canceller,
                                           const sdk::Host& host, std::optional<sdk::RunResult>& ran) {
   RunFiles files;
   plan.invocation.known_hosts_file =
       files.write("known_hosts", known_hosts_line(parse_ssh_public_key(plan.request.target.host_key)));
   plan.invocation.log_file = files.write("ssh.log", "");
   plan.invocation.connect_timeout = std::chrono::duration_cast<std::chrono::seconds>(
       plan.deadline - Clock::now() + std::chrono::milliseconds(999));
   const sdk::SshTarget effective = with_config_safe_key(plan.request.target, files);
   const int code = run_ssh_process(plan, effective, canceller, host);
   const SshOutcome outcome = read_ssh_outcome(code, files.read("ssh.log"), plan.context);
   if (!outcome.remote_exit) return sdk::AttemptFailure{outcome.status, outcome.message, outcome.retryable};
   if (!outcome.exit_signal.empty())
      host.info("the remote command on ", plan.context.endpoint, " was killed by signal SIG",
                outcome.exit_signal, " (exit code ", outcome.exit_code, ")");
   ran = sdk::RunResult{outcome.exit_code, outcome.exit_signal};
   return std::nullopt;
}

}  // namespace

sdk::RunResult SystemTransport::run(const sdk::RunRequest& request) {
   canceller_.reset();
   const sdk::SshTarget& target = request.target;
   check_ssh_credentials(target.credentials);
   const SshPublicKey pinned = parse_ssh_public_key(target.host_key);
   SshLaunch launch = ssh_launch(request.command, SignalReport::exit_status);
   SshInvocation invocation = invocation_for(
       ssh_, keepalive_, reuse_ ? std::optional(reuse_idle_) : std::nullopt, target, pinned, launch);
   RunPlan plan{request, std::move(invocation), std::move(launch), run_context(target, pinned, keepalive_),
                connect_deadline(target)};
   std::optional<sdk::RunResult> ran;
   if (const auto failure = sdk::retry_while_starting(
           plan.context.endpoint, plan.deadline, [&] { return attempt(plan, canceller_, host_, ran); },
           ssh_retry_hooks(canceller_, host_)))
      throw sdk::Error(failure->status, failure->message);
   return *ran;
}

}  // namespace dpp::plugins::system_ssh

// A non-blocking libssh2 session: connect, key exchange, host key check, login, exec.
#include "libssh2_session.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "common/ssh_transport_config.hpp"

namespace dpp::plugins::libssh2 {
namespace {

// The receive window: OpenSSH's own size (2 MiB), so that a long link bounds both alike. Larger is
// worse, measured (bench/): libssh2 drains the socket into its packet queue before handing data
// out, so the whole window sits in our memory (16 MiB: 27 MiB peak RSS), and sshd's buffers grow
// to the window, its reallocations and page faults making it 5x slower to send. 32 KiB is the
// packet size sshd uses.
constexpr unsigned int kChannelWindow = 2u * 1024 * 1024;
constexpr unsigned int kChannelPacket = 32768;

// How long one attempt may wait for a banner before the connection is treated as banner-less
// (a forwarder that accepted but has nothing behind it yet) and retried.
constexpr auto kBannerWait = std::chrono::seconds(10);

// Algorithms libssh2 1.10 implements, fastest first (it has neither AES-GCM nor ChaCha20).
constexpr const char* kKex =
    "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,"
    "ecdh-sha2-nistp521,diffie-hellman-group14-sha256,diffie-hellman-group16-sha512,"
    "diffie-hellman-group18-sha512,diffie-hellman-group-exchange-sha256";
constexpr const char* kCiphers = "aes128-ctr,aes256-ctr,aes192-ctr";
constexpr const char* kMacs = "hmac-sha2-256,hmac-sha2-512,hmac-sha1";
constexpr const char* kHostKeyTypes[] = {"ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
                                         "ecdsa-sha2-nistp521", "ssh-rsa"};

// The pinned key's algorithm first, so that a server with several host keys presents that one;
// the others stay acceptable so that a wrong server's key can be named in the error.
std::string host_key_preference(const std::string& pinned_type) {
   std::string list = pinned_type;
   for (const char* type : kHostKeyTypes)
      if (pinned_type != type) list += std::string(",") + type;
   return list;
}

bool is_socket_error(int rc) {
   return rc == LIBSSH2_ERROR_SOCKET_DISCONNECT || rc == LIBSSH2_ERROR_SOCKET_RECV ||
          rc == LIBSSH2_ERROR_SOCKET_SEND || rc == LIBSSH2_ERROR_SOCKET_NONE ||
          rc == LIBSSH2_ERROR_BANNER_RECV || rc == LIBSSH2_ERROR_BANNER_SEND || rc == LIBSSH2_ERROR_TIMEOUT ||
          rc == LIBSSH2_ERROR_SOCKET_TIMEOUT;
}

bool file_exists(const std::string& path) {
   struct stat info {};
   return !path.empty() && ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

// " (SHA256:…)" of the public key file beside a private key, for messages; "" when unreadable.
std::string key_fingerprint_note(const std::string& public_key_file) {
   if (!file_exists(public_key_file)) return "";
   std::ifstream in(public_key_file);
   std::string line;
   std::getline(in, line);
   try {
      return " (" + parse_ssh_public_key(line).fingerprint() + ")";
   } catch (const sdk::Error&) {
      return "";
   }
}

}  // namespace

Session::Session(const sdk::Host& host, const SshCanceller& canceller) : host_(host), canceller_(canceller) {}

Session::~Session() {
   close(false);
}

std::string Session::last_error() const {
   if (!session_) return "no session";
   char* message = nullptr;
   int length = 0;
   libssh2_session_last_error(session_, &message, &length, 0);
   return message && length > 0 ? std::string(message, static_cast<std::size_t>(length)) : "unknown error";
}

ssize_t Session::receive(libssh2_socket_t fd, void* buffer, size_t length, int flags, void** abstract) {
   const ssize_t n = ::recv(fd, buffer, length, flags);
   if (n > 0) {
      static_cast<Session*>(*abstract)->last_receive_ = Clock::now();
      return n;
   }
   if (n < 0) return errno == EWOULDBLOCK ? -EAGAIN : -errno;
   return 0;
}

void Session::wait(Clock::time_point deadline, const char* what) {
   for (;;) {
      if (ssh_stop_requested(canceller_, host_))
         throw sdk::Error(DPP_E_CANCELLED,
                          "cancelled while waiting for " + std::string(what) + " from " + endpoint_);
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0)
         throw SshConnectError(DPP_E_TIMEOUT,
                               "timed out waiting for " + std::string(what) + " from " + endpoint_, true);
      const int directions = session_ ? libssh2_session_block_directions(session_) : 0;
      short events = 0;
      if (directions & LIBSSH2_SESSION_BLOCK_INBOUND) events |= POLLIN;
      if (directions & LIBSSH2_SESSION_BLOCK_OUTBOUND) events |= POLLOUT;
      if (!events) events = POLLIN;
      pollfd fds[2] = {{socket_.get(), events, 0}, {canceller_.fd(), POLLIN, 0}};
      const int ready = ::poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 250)));
      if (ready > 0 && fds[0].revents) return;
   }
}

void Session::reset() noexcept {
   if (channel_) {
      libssh2_channel_free(channel_);
      channel_ = nullptr;
   }
   if (session_) {
      libssh2_session_free(session_);
      session_ = nullptr;
   }
   socket_.reset();
}

void Session::close(bool graceful) noexcept {
   if (!session_) {
      socket_.reset();
      return;
   }
   // Shutting the socket down makes every libssh2 call below fail at once instead of returning
   // EAGAIN, so that freeing never waits for a peer that is gone or stopped.
   if (!graceful && socket_) ::shutdown(socket_.get(), SHUT_RDWR);
   if (channel_) {
      int rc = libssh2_channel_free(channel_);
      for (int attempt = 0; rc == LIBSSH2_ERROR_EAGAIN && attempt < 20; ++attempt) {
         pollfd fd{socket_.get(), POLLIN | POLLOUT, 0};
         ::poll(&fd, 1, 10);
         rc = libssh2_channel_free(channel_);
      }
      if (rc == LIBSSH2_ERROR_EAGAIN) {
         ::shutdown(socket_.get(), SHUT_RDWR);
         rc = libssh2_channel_free(channel_);
      }
      channel_ = nullptr;
   }
   if (graceful)
      libssh2_session_disconnect_ex(session_, SSH_DISCONNECT_BY_APPLICATION, "session finished", "");
   if (socket_) ::shutdown(socket_.get(), SHUT_RDWR);
   for (int attempt = 0; attempt < 10 && libssh2_session_free(session_) == LIBSSH2_ERROR_EAGAIN; ++attempt) {
   }
   session_ = nullptr;
   socket_.reset();
}

void Session::connect(const sdk::SshTarget& target, Clock::time_point deadline, bool retry) {
   endpoint_ = ssh_endpoint_name(target.host, target.port);
   const SshPublicKey pinned = parse_ssh_public_key(target.host_key);
   const auto attempt = [&]() -> std::optional<sdk::AttemptFailure> {
      try {
         connect_once(target, pinned, deadline);
         return std::nullopt;
      } catch (const SshConnectError& e) {
         reset();
         return sdk::AttemptFailure{e.status(), e.what(), retry && e.retryable()};
      }
   };
   if (const auto failure =
           sdk::retry_while_starting(endpoint_, deadline, attempt, ssh_retry_hooks(canceller_, host_)))
      throw sdk::Error(failure->status, failure->message);
}

void Session::connect_once(const sdk::SshTarget& target, const SshPublicKey& pinned,
                           Clock::time_point deadline) {
   socket_ = ssh_tcp_connect(target.host, target.port, deadline, canceller_, host_);
   session_ = libssh2_session_init_ex(nullptr, nullptr, nullptr, this);
   if (!session_) throw sdk::Error(DPP_E_INTERNAL, "libssh2 could not create a session");
   libssh2_session_callback_set(session_, LIBSSH2_CALLBACK_RECV, reinterpret_cast<void*>(&Session::receive));
   libssh2_session_set_blocking(session_, 0);
   // The transport sends keepalives itself (channel_pump); this only arms want-reply.
   libssh2_keepalive_config(session_, 1, 1);
   libssh2_session_method_pref(session_, LIBSSH2_METHOD_KEX, kKex);
   libssh2_session_method_pref(session_, LIBSSH2_METHOD_CRYPT_CS, kCiphers);
   libssh2_session_method_pref(session_, LIBSSH2_METHOD_CRYPT_SC, kCiphers);
   libssh2_session_method_pref(session_, LIBSSH2_METHOD_MAC_CS, kMacs);
   libssh2_session_method_pref(session_, LIBSSH2_METHOD_MAC_SC, kMacs);
   if (libssh2_session_method_pref(session_, LIBSSH2_METHOD_HOSTKEY,
                                   host_key_preference(pinned.type).c_str()) != 0)
      libssh2_session_method_pref(session_, LIBSSH2_METHOD_HOSTKEY,
                                  host_key_preference("ssh-ed25519").c_str());

   last_receive_ = Clock::now();
   const auto banner_deadline = std::min(deadline, Clock::now() + kBannerWait);
   int rc;
   while ((rc = libssh2_session_handshake(session_, socket_.get())) == LIBSSH2_ERROR_EAGAIN) {
      const bool have_banner = libssh2_session_banner_get(session_) != nullptr;
      try {
         wait(have_banner ? deadline : banner_deadline, have_banner ? "the key exchange" : "an SSH banner");
      } catch (const SshConnectError& e) {
         // A server that sent its banner and then stalls is not "still starting".
         throw SshConnectError(DPP_E_TIMEOUT, e.what(), !have_banner);
      }
   }
   if (rc != 0) {
      const bool have_banner = libssh2_session_banner_get(session_) != nullptr;
      const std::string detail = last_error();
      if (!have_banner && is_socket_error(rc))
         throw SshConnectError(
             DPP_E_CONNECT,
             endpoint_ + " closed the connection before sending an SSH banner (" + detail + ")", true);
      if (is_socket_error(rc))
         throw SshConnectError(
             DPP_E_CONNECT,
             "the connection to " + endpoint_ + " broke during the key exchange (" + detail + ")",
             !have_banner);
      throw SshConnectError(DPP_E_PROTOCOL, "the key exchange with " + endpoint_ + " failed: " + detail,
                            false);
   }
   verify_host_key(pinned);
}

void Session::verify_host_key(const SshPublicKey& pinned) {
   std::size_t length = 0;
   int type = 0;
   const char* key = libssh2_session_hostkey(session_, &length, &type);
   if (!key || length == 0)
      throw SshConnectError(DPP_E_PROTOCOL, endpoint_ + " presented no host key", false);
   const std::string_view presented(key, length);
   // Exact comparison of the blobs: no trust on first use, no "known hosts" to update.
   if (presented == pinned.blob) return;
   const std::string presented_type = ssh_blob_type(presented);
   throw sdk::Error(
       DPP_E_HOST_KEY_MISMATCH,
       "host key mismatch at " + endpoint_ + ": expected " + pinned.fingerprint() + " (" + pinned.type +
           ", pinned for this workspace) but the server presented " + ssh_fingerprint(presented) + " (" +
           (presented_type.empty() ? std::string("unknown type") : presented_type) +
           "); refusing to connect. Another server may answer on this port, or the workspace was "
           "recreated with a new key");
}

void Session::authenticate(const sdk::SshTarget& target, Clock::time_point deadline) {
   if (target.credentials.kind == DPP_CREDENTIAL_PRIVATE_KEY)
      authenticate_with_key(target, deadline);
   else
      authenticate_with_password(target, deadline);
}

void Session::authenticate_with_key(const sdk::SshTarget& target, Clock::time_point deadline) {
   const sdk::Credentials& login = target.credentials;
   const std::string& private_key = login.private_key_file;
   const std::string public_key = file_exists(login.public_key_file)
                                      ? login.public_key_file
                                      : (file_exists(private_key + ".pub") ? private_key + ".pub" : "");
   int rc;
   while ((rc = libssh2_userauth_publickey_fromfile_ex(
               session_, login.user.c_str(), static_cast<unsigned int>(login.user.size()),
               public_key.empty() ? nullptr : public_key.c_str(), private_key.c_str(), nullptr)) ==
          LIBSSH2_ERROR_EAGAIN)
      wait(deadline, "the login");
   if (rc == 0) return;
   const std::string detail = last_error();
   if (rc == LIBSSH2_ERROR_FILE)
      throw sdk::Error(DPP_E_CONFIG, "cannot use the private key " + private_key + " (" + detail +
                                         "); it must be an unencrypted OpenSSH key");
   if (rc == LIBSSH2_ERROR_AUTHENTICATION_FAILED || rc == LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED ||
       rc == LIBSSH2_ERROR_METHOD_NOT_SUPPORTED)
      throw sdk::Error(DPP_E_AUTH, ssh_login_name(target) + " refused the private key " + private_key +
                                       key_fingerprint_note(public_key));
   throw sdk::Error(is_socket_error(rc) ? DPP_E_CONNECT : DPP_E_PROTOCOL,
                    "logging in to " + ssh_login_name(target) + " failed: " + detail);
}

void Session::answer_prompts(const char*, int, const char*, int, int prompt_count,
                             const LIBSSH2_USERAUTH_KBDINT_PROMPT*,
                             LIBSSH2_USERAUTH_KBDINT_RESPONSE* responses, void** abstract) {
   const Session* self = static_cast<Session*>(*abstract);
   for (int i = 0; i < prompt_count; ++i) {
      // libssh2 frees each answer with its allocator, which is malloc/free by default.
      const std::string& password = self->password_ ? *self->password_ : std::string();
      char* copy = static_cast<char*>(std::malloc(password.size() + 1));
      if (!copy) {
         responses[i].text = nullptr;
         responses[i].length = 0;
         continue;
      }
      std::memcpy(copy, password.c_str(), password.size() + 1);
      responses[i].text = copy;
      responses[i].length = static_cast<unsigned int>(password.size());
   }
}

void Session::authenticate_with_password(const sdk::SshTarget& target, Clock::time_point deadline) {
   const sdk::Credentials& login = target.credentials;
   const auto user_length = static_cast<unsigned int>(login.user.size());
   int rc;
   while ((rc = libssh2_userauth_password_ex(
               session_, login.user.c_str(), user_length, login.password.c_str(),
               static_cast<unsigned int>(login.password.size()), nullptr)) == LIBSSH2_ERROR_EAGAIN)
      wait(deadline, "the login");
   if (rc == 0) return;
   if (rc != LIBSSH2_ERROR_AUTHENTICATION_FAILED && rc != LIBSSH2_ERROR_PASSWORD_EXPIRED &&
       rc != LIBSSH2_ERROR_METHOD_NOT_SUPPORTED)
      throw sdk::Error(is_socket_error(rc) ? DPP_E_CONNECT : DPP_E_PROTOCOL,
                       "logging in to " + ssh_login_name(target) + " failed: " + last_error());
   // Only now ask which methods the server offers: servers that take passwords only through
   // keyboard-interactive get the password as the answer to every prompt.
   char* methods = nullptr;
   while (!(methods = libssh2_userauth_list(session_, login.user.c_str(), user_length)) &&
          libssh2_session_last_errno(session_) == LIBSSH2_ERROR_EAGAIN)
      wait(deadline, "the list of login methods");
   const std::string offered = methods ? methods : "";
   if (offered.find("keyboard-interactive") != std::string::npos &&
       offered.find("password") == std::string::npos) {
      password_ = &login.password;
      while ((rc = libssh2_userauth_keyboard_interactive_ex(session_, login.user.c_str(), user_length,
                                                            &Session::answer_prompts)) ==
             LIBSSH2_ERROR_EAGAIN)
         wait(deadline, "the login");
      password_ = nullptr;
      if (rc == 0) return;
   }
   throw sdk::Error(DPP_E_AUTH,
                    ssh_login_name(target) + " refused the password" +
                        (offered.empty() ? std::string() : " (the server accepts: " + offered + ")"));
}

LIBSSH2_CHANNEL* Session::start_command(const std::string& remote_command, Clock::time_point deadline) {
   while (!(channel_ = libssh2_channel_open_ex(session_, "session", sizeof "session" - 1, kChannelWindow,
                                               kChannelPacket, nullptr, 0))) {
      const int rc = libssh2_session_last_errno(session_);
      if (rc != LIBSSH2_ERROR_EAGAIN)
         throw sdk::Error(is_socket_error(rc) ? DPP_E_CONNECTION_LOST : DPP_E_REMOTE,
                          endpoint_ + " did not open a session channel: " + last_error());
      wait(deadline, "a session channel");
   }
   int rc;
   while ((rc = libssh2_channel_process_startup(channel_, "exec", sizeof "exec" - 1, remote_command.data(),
                                                static_cast<unsigned int>(remote_command.size()))) ==
          LIBSSH2_ERROR_EAGAIN)
      wait(deadline, "the start of the command");
   if (rc != 0)
      throw sdk::Error(is_socket_error(rc) ? DPP_E_CONNECTION_LOST : DPP_E_REMOTE,
                       endpoint_ + " refused to run the command: " + last_error());
   return channel_;
}

}  // namespace dpp::plugins::libssh2

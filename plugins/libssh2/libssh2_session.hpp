// One SSH connection made with libssh2 in non-blocking mode: TCP connect with retries while the
// workspace starts, key exchange, the exact check of the pinned host key, authentication, and
// the channel running a command. Every wait is a poll(2) that a cancellation interrupts.
#pragma once

#include <libssh2.h>

#include <chrono>
#include <dpp/cpp/plugin.hpp>
#include <string>

#include "common/ssh_cancel.hpp"
#include "common/ssh_public_key.hpp"
#include "common/ssh_tcp.hpp"

namespace dpp::plugins::libssh2 {

using Clock = std::chrono::steady_clock;

class Session {
 public:
   Session(const sdk::Host& host, const SshCanceller& canceller);
   ~Session();
   Session(const Session&) = delete;
   Session& operator=(const Session&) = delete;

   // Connects to the target, completes the key exchange and checks the host key against the
   // pinned one. With `retry`, refused, reset and banner-less connections are tried again with
   // backoff until `deadline`. Throws sdk::Error: DPP_E_CONNECT, DPP_E_TIMEOUT,
   // DPP_E_HOST_KEY_MISMATCH, DPP_E_PROTOCOL, DPP_E_CANCELLED.
   void connect(const sdk::SshTarget& target, Clock::time_point deadline, bool retry);

   // Logs in with the target's credentials. DPP_E_AUTH when refused.
   void authenticate(const sdk::SshTarget& target, Clock::time_point deadline);

   // Opens a session channel (no PTY) and starts `remote_command` with "exec".
   LIBSSH2_CHANNEL* start_command(const std::string& remote_command, Clock::time_point deadline);

   // Waits for the socket in the directions libssh2 is blocked on, or for a cancellation.
   // Throws DPP_E_TIMEOUT (naming `what`) at the deadline, DPP_E_CANCELLED on a stop request.
   void wait(Clock::time_point deadline, const char* what);

   // Ends the session: politely (channel close, disconnect message, without waiting for the
   // peer) when `graceful`, else by shutting the socket down first so nothing can block.
   void close(bool graceful) noexcept;

   LIBSSH2_SESSION* raw() const { return session_; }
   int socket() const { return socket_.get(); }
   const std::string& endpoint() const { return endpoint_; }
   // When the last byte arrived from the server (for keepalives).
   Clock::time_point last_receive() const { return last_receive_; }
   // Marks now as activity, for periods in which we do not read on purpose.
   void touch() { last_receive_ = Clock::now(); }
   // libssh2's text for the last error.
   std::string last_error() const;

 private:
   void connect_once(const sdk::SshTarget& target, const SshPublicKey& pinned, Clock::time_point deadline);
   void verify_host_key(const SshPublicKey& pinned);
   void authenticate_with_key(const sdk::SshTarget& target, Clock::time_point deadline);
   void authenticate_with_password(const sdk::SshTarget& target, Clock::time_point deadline);
   void reset() noexcept;

   static ssize_t receive(libssh2_socket_t fd, void* buffer, size_t length, int flags, void** abstract);
   static void answer_prompts(const char* name, int name_length, const char* instruction,
                              int instruction_length, int prompt_count,
                              const LIBSSH2_USERAUTH_KBDINT_PROMPT* prompts,
                              LIBSSH2_USERAUTH_KBDINT_RESPONSE* responses, void** abstract);

   sdk::Host host_;
   const SshCanceller& canceller_;
   SshFd socket_;
   LIBSSH2_SESSION* session_ = nullptr;
   LIBSSH2_CHANNEL* channel_ = nullptr;
   std::string endpoint_;
   Clock::time_point last_receive_ = Clock::now();
   // Only set while keyboard-interactive authentication runs.
   const std::string* password_ = nullptr;
};

}  // namespace dpp::plugins::libssh2

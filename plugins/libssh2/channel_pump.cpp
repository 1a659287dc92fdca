// The poll loop between the host's descriptors and a libssh2 channel.
#include "channel_pump.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "common/ssh_signals.hpp"
#include "common/ssh_transport_config.hpp"

namespace dpp::plugins::libssh2 {
namespace {

// One direction's bytes in flight: read into [begin, end), written out from there. Data is
// written straight from the buffer it was read into; a buffer is refilled only once empty.
struct Buffer {
   explicit Buffer(std::size_t size) : data(new char[size]), capacity(size) {}
   std::unique_ptr<char[]> data;
   std::size_t capacity;
   std::size_t begin = 0;
   std::size_t end = 0;

   bool empty() const { return begin == end; }
   std::size_t size() const { return end - begin; }
   const char* head() const { return data.get() + begin; }
   void filled(std::size_t count) {
      begin = 0;
      end = count;
   }
   void consumed(std::size_t count) {
      begin += count;
      if (begin == end) begin = end = 0;
   }
};

// The stdout buffer is large because bulk data flows there; libssh2 copies as many queued
// packets into it as fit, so fewer calls per megabyte.
constexpr std::size_t kOutputBuffer = 256 * 1024;
constexpr std::size_t kErrorBuffer = 32 * 1024;
constexpr std::size_t kInputBuffer = 256 * 1024;

bool is_connection_error(int rc) {
   return rc == LIBSSH2_ERROR_SOCKET_DISCONNECT || rc == LIBSSH2_ERROR_SOCKET_RECV ||
          rc == LIBSSH2_ERROR_SOCKET_SEND || rc == LIBSSH2_ERROR_SOCKET_NONE || rc == LIBSSH2_ERROR_TIMEOUT ||
          rc == LIBSSH2_ERROR_SOCKET_TIMEOUT || rc == LIBSSH2_ERROR_CHANNEL_CLOSED ||
          rc == LIBSSH2_ERROR_CHANNEL_FAILURE;
}

class Pump {
 public:
   Pump(Session& session, LIBSSH2_CHANNEL* channel, const PumpDescriptors& fds, std::string_view stdin_prefix,
        std::chrono::milliseconds keepalive, const SshCanceller& canceller, const sdk::Host& host)
       : session_(session),
         channel_(channel),
         fds_(fds),
         stdin_prefix_(stdin_prefix),
         keepalive_(keepalive),
         canceller_(canceller),
         host_(host),
         out_(kOutputBuffer),
         err_(kErrorBuffer),
         in_(kInputBuffer),
         started_(Clock::now()) {}

   sdk::RunResult run() {
      session_.touch();
      last_keepalive_ = Clock::now();
      for (;;) {
         int rounds = 0;
         bool progress = true;
         while (progress) {
            if ((++rounds & 15) == 0 && stop_requested()) break;
            progress = false;
            progress |= read_remote(0, out_);
            progress |= write_local(fds_.stdout_fd, out_, "stdout");
            progress |= read_remote(SSH_EXTENDED_DATA_STDERR, err_);
            progress |= write_local(fds_.stderr_fd, err_, "stderr");
            progress |= read_stdin();
            progress |= write_remote();
            progress |= forward_eof();
            if (remote_eof_ && out_.empty() && err_.empty() && remote_closed()) return result();
         }
         if (stop_requested())
            throw sdk::Error(DPP_E_CANCELLED, "cancelled: closed the session to " + session_.endpoint());
         wait();
      }
   }

 private:
   bool stop_requested() const { return ssh_stop_requested(canceller_, host_); }

   [[noreturn]] void fail(int rc, const char* doing) {
      const std::string detail = session_.last_error();
      if (is_connection_error(rc))
         throw sdk::Error(DPP_E_CONNECTION_LOST,
                          "the connection to " + session_.endpoint() + " was lost after " +
                              ssh_seconds_text(Clock::now() - started_) + " s while " + doing + ": " +
                              (rc == LIBSSH2_ERROR_SOCKET_SEND ? "the server no longer accepts data"
                                                               : "the server closed the connection") +
                              " (libssh2: " + detail + ")");
      throw sdk::Error(DPP_E_PROTOCOL,
                       "SSH error with " + session_.endpoint() + " while " + doing + ": " + detail);
   }

   // Remote → buffer, only into an empty buffer (so data is never moved inside it).
   bool read_remote(int stream, Buffer& buffer) {
      if (remote_eof_ || !buffer.empty()) return false;
      const ssize_t n = libssh2_channel_read_ex(channel_, stream, buffer.data.get(), buffer.capacity);
      if (n > 0) {
         buffer.filled(static_cast<std::size_t>(n));
         return true;
      }
      if (n == LIBSSH2_ERROR_EAGAIN) return false;
      if (n < 0) fail(static_cast<int>(n), "reading the remote output");
      // 0 means EOF for this stream, or nothing read; libssh2_channel_eof tells which, and is
      // true only once both streams are drained.
      if (libssh2_channel_eof(channel_) == 1) {
         remote_eof_ = true;
         return true;
      }
      return false;
   }

   // Buffer → local descriptor, straight from where the bytes were read.
   bool write_local(int fd, Buffer& buffer, const char* what) {
      if (buffer.empty()) return false;
      const ssize_t n = ::write(fd, buffer.head(), buffer.size());
      if (n > 0) {
         buffer.consumed(static_cast<std::size_t>(n));
         return true;
      }
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) return false;
      throw sdk::Error(DPP_E_IO, std::string("cannot write the remote ") + what + " to descriptor " +
                                     std::to_string(fd) + ": " + std::strerror(errno));
   }

   bool read_stdin() {
      if (stdin_eof_ || !in_.empty()) return false;
      if (!stdin_prefix_.empty()) {
         const std::size_t n = std::min(stdin_prefix_.size(), in_.capacity);
         std::memcpy(in_.data.get(), stdin_prefix_.data(), n);
         stdin_prefix_.remove_prefix(n);
         in_.filled(n);
         return true;
      }
      const ssize_t n = ::read(fds_.stdin_fd, in_.data.get(), in_.capacity);
      if (n > 0) {
         in_.filled(static_cast<std::size_t>(n));
         return true;
      }
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) return false;
      if (n < 0)
         host_.warn("reading stdin failed (", std::strerror(errno), "); sending EOF to the remote command");
      stdin_eof_ = true;
      return true;
   }

   bool write_remote() {
      if (in_.empty()) return false;
      if (remote_closed_) {
         in_.consumed(in_.size());  // nobody is left to read it
         return true;
      }
      const ssize_t n = libssh2_channel_write_ex(channel_, 0, in_.head(), in_.size());
      if (n > 0) {
         in_.consumed(static_cast<std::size_t>(n));
         return true;
      }
      if (n == LIBSSH2_ERROR_EAGAIN || n == 0) {
         stdin_blocked_ = true;
         return false;
      }
      if (n == LIBSSH2_ERROR_CHANNEL_CLOSED || n == LIBSSH2_ERROR_CHANNEL_EOF_SENT) {
         in_.consumed(in_.size());
         return true;
      }
      fail(static_cast<int>(n), "sending stdin");
   }

   bool forward_eof() {
      if (!stdin_eof_ || !in_.empty() || eof_sent_ || remote_closed_) return false;
      const int rc = libssh2_channel_send_eof(channel_);
      if (rc == LIBSSH2_ERROR_EAGAIN) return false;
      if (rc != 0) fail(rc, "sending EOF");
      eof_sent_ = true;
      return true;
   }

   // True once the server closed the channel, after which the exit status is known.
   bool remote_closed() {
      if (remote_closed_) return true;
      const int rc = libssh2_channel_wait_closed(channel_);
      if (rc == LIBSSH2_ERROR_EAGAIN) return false;
      if (rc != 0) fail(rc, "waiting for the command to exit");
      remote_closed_ = true;
      return true;
   }

   sdk::RunResult result() {
      sdk::RunResult outcome;
      char* signal = nullptr;
      std::size_t signal_length = 0;
      libssh2_channel_get_exit_signal(channel_, &signal, &signal_length, nullptr, nullptr, nullptr, nullptr);
      if (signal && signal_length > 0) {
         outcome.exit_signal.assign(signal, signal_length);
         const int number = ssh_signal_number(outcome.exit_signal);
         // An unknown signal still must not look like success.
         outcome.exit_code = number > 0 ? 128 + number : 255;
         host_.info("the remote command on ", session_.endpoint(), " was killed by signal SIG",
                    outcome.exit_signal, " (exit code ", outcome.exit_code, ")");
      } else {
         outcome.exit_code = libssh2_channel_get_exit_status(channel_);
      }
      if (signal) libssh2_free(session_.raw(), signal);
      return outcome;
   }

   void wait() {
      const auto now = Clock::now();
      // While our own output is blocked we do not read the socket on purpose: that is no
      // silence of the server.
      const bool want_remote = (out_.empty() || err_.empty()) && !remote_eof_;
      const int directions = libssh2_session_block_directions(session_.raw());
      const bool socket_in = want_remote || remote_eof_ || (directions & LIBSSH2_SESSION_BLOCK_INBOUND) ||
                             (stdin_blocked_ && !in_.empty());
      if (!socket_in) session_.touch();
      std::chrono::milliseconds timeout(250);  // the host's cancellation polling rule
      if (keepalive_.count() > 0 && socket_in) check_keepalive(now, timeout);

      pollfd fds[5];
      int count = 0;
      fds[count++] = {session_.socket(),
                      static_cast<short>((socket_in ? POLLIN : 0) |
                                         ((directions & LIBSSH2_SESSION_BLOCK_OUTBOUND) ? POLLOUT : 0)),
                      0};
      fds[count++] = {canceller_.fd(), POLLIN, 0};
      if (!stdin_eof_ && in_.empty() && !remote_closed_) fds[count++] = {fds_.stdin_fd, POLLIN, 0};
      if (!out_.empty()) fds[count++] = {fds_.stdout_fd, POLLOUT, 0};
      if (!err_.empty()) fds[count++] = {fds_.stderr_fd, POLLOUT, 0};
      stdin_blocked_ = false;
      if (::poll(fds, static_cast<nfds_t>(count), static_cast<int>(timeout.count())) < 0 && errno != EINTR &&
          errno != EAGAIN)
         throw sdk::Error(DPP_E_IO, std::string("poll() failed: ") + std::strerror(errno));
   }

   // Sends a keepalive after each interval of silence; declares the server dead after
   // kKeepaliveCountMax unanswered ones. Shortens `timeout` to the next due moment.
   void check_keepalive(Clock::time_point now, std::chrono::milliseconds& timeout) {
      const auto silence = now - session_.last_receive();
      const auto dead_after = keepalive_ * (kKeepaliveCountMax + 1);
      if (silence >= dead_after) {
         throw sdk::Error(
             DPP_E_CONNECTION_LOST,
             "the connection to " + session_.endpoint() + " is lost: no answer for " +
                 ssh_seconds_text(std::chrono::duration_cast<std::chrono::milliseconds>(silence)) + " s (" +
                 std::to_string(kKeepaliveCountMax) + " keepalives unanswered, one every " +
                 ssh_seconds_text(keepalive_) + " s; see DOKPLOY_SSH_KEEPALIVE)");
      }
      const auto since_sent = now - last_keepalive_;
      if (silence >= keepalive_ && since_sent >= keepalive_) {
         int seconds_to_next = 0;
         const int rc = libssh2_keepalive_send(session_.raw(), &seconds_to_next);
         if (rc != 0 && rc != LIBSSH2_ERROR_EAGAIN) fail(rc, "sending a keepalive");
         last_keepalive_ = now;
         host_.trace("keepalive sent to ", session_.endpoint());
      }
      const auto next_send = std::max(session_.last_receive(), last_keepalive_) + keepalive_;
      const auto next_check = std::min(next_send, session_.last_receive() + dead_after);
      const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(next_check - now) +
                         std::chrono::milliseconds(1);
      if (until < timeout) timeout = std::max(until, std::chrono::milliseconds(1));
   }

   Session& session_;
   LIBSSH2_CHANNEL* channel_;
   PumpDescriptors fds_;
   std::string_view stdin_prefix_;  // still to send before the bytes of stdin
   std::chrono::milliseconds keepalive_;
   const SshCanceller& canceller_;
   sdk::Host host_;
   Buffer out_;
   Buffer err_;
   Buffer in_;
   Clock::time_point started_;
   Clock::time_point last_keepalive_;
   bool remote_eof_ = false;
   bool remote_closed_ = false;
   bool stdin_eof_ = false;
   bool stdin_blocked_ = false;
   bool eof_sent_ = false;
};

}  // namespace

sdk::RunResult pump_channel(Session& session, LIBSSH2_CHANNEL* channel, const PumpDescriptors& fds,
                            std::string_view stdin_prefix, std::chrono::milliseconds keepalive,
                            const SshCanceller& canceller, const sdk::Host& host) {
   return Pump(session, channel, fds, stdin_prefix, keepalive, canceller, host).run();
}

}  // namespace dpp::plugins::libssh2

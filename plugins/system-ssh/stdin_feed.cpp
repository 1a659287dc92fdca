// Feeding ssh's stdin: the script first, then the host's stdin.
#include "stdin_feed.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <dpp/cpp/plugin.hpp>

namespace dpp::plugins::system_ssh {
namespace {

void close_fd(int& fd) noexcept {
   if (fd >= 0) ::close(fd);
   fd = -1;
}

}  // namespace

StdinFeed::StdinFeed(std::string prefix, int source_fd) : prefix_(std::move(prefix)), source_fd_(source_fd) {
   int fds[2];
   if (::pipe2(fds, O_CLOEXEC) != 0)
      throw sdk::Error(DPP_E_IO, std::string("cannot create a pipe: ") + std::strerror(errno));
   read_end_ = fds[0];
   write_end_ = fds[1];
   stop_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
   // Our end only: every wait is a poll that a stop request ends.
   if (stop_fd_ < 0 || ::fcntl(write_end_, F_SETFL, O_NONBLOCK) != 0) {
      const int error = errno;
      stop();
      throw sdk::Error(DPP_E_IO, std::string("cannot set up ssh's stdin: ") + std::strerror(error));
   }
}

void StdinFeed::start() {
   // ssh holds the read end now; once it exits, writing fails instead of waiting.
   close_fd(read_end_);
   thread_ = std::thread([this] { feed(); });
}

void StdinFeed::stop() noexcept {
   if (thread_.joinable()) {
      const uint64_t one = 1;
      (void)!::write(stop_fd_, &one, sizeof one);
      thread_.join();
   }
   close_fd(read_end_);
   close_fd(write_end_);
   close_fd(stop_fd_);
}

bool StdinFeed::wait(int fd, short events, int timeout_ms) noexcept {
   pollfd fds[2] = {{fd, events, 0}, {stop_fd_, POLLIN, 0}};
   if (::poll(fds, 2, timeout_ms) < 0 && errno != EINTR) return false;
   return !(fds[1].revents & POLLIN);
}

bool StdinFeed::write_all(const char* data, std::size_t size) noexcept {
   while (size > 0) {
      const ssize_t n = ::write(write_end_, data, size);
      if (n > 0) {
         data += n;
         size -= static_cast<std::size_t>(n);
      } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
         if (!wait(write_end_, POLLOUT, -1)) return false;
      } else {
         return false;  // EPIPE: ssh is gone
      }
   }
   return true;
}

// A run whose connection fails before the session starts is tried again with a new ssh, which
// must find the host's stdin untouched: ssh reads its stdin only once the session runs, so no
// byte is taken from the host before ssh has read from the pipe.
bool StdinFeed::wait_until_ssh_reads() noexcept {
   for (;;) {
      int unread = 0;
      if (::ioctl(write_end_, FIONREAD, &unread) != 0) return false;
      if (static_cast<std::size_t>(unread) < prefix_.size()) return true;
      if (!wait(-1, 0, 2)) return false;
   }
}

void StdinFeed::feed() noexcept {
   if (!write_all(prefix_.data(), prefix_.size()) || !wait_until_ssh_reads()) return;
   char buffer[64 * 1024];
   for (;;) {
      if (!wait(source_fd_, POLLIN, -1)) return;
      const ssize_t n = ::read(source_fd_, buffer, sizeof buffer);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (n < 0) read_error_ = std::strerror(errno);
      if (n <= 0) break;
      if (!write_all(buffer, static_cast<std::size_t>(n))) return;
   }
   close_fd(write_end_);  // EOF for the remote command
}

}  // namespace dpp::plugins::system_ssh

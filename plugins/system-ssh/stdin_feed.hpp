// ssh's stdin when a script travels ahead of the caller's data (common/ssh_launch.hpp): a pipe
// this process fills with the script and then with the bytes of the host's stdin, on a thread,
// until the host's stdin ends (then EOF) or ssh is gone. Only used for large scripts: otherwise
// ssh gets the host's descriptor itself.
#pragma once

#include <cstddef>
#include <string>
#include <thread>

namespace dpp::plugins::system_ssh {

class StdinFeed {
 public:
   // Makes the pipe; nothing moves before start(). Throws sdk::Error(DPP_E_IO).
   StdinFeed(std::string prefix, int source_fd);
   ~StdinFeed() { stop(); }
   StdinFeed(const StdinFeed&) = delete;
   StdinFeed& operator=(const StdinFeed&) = delete;

   // The descriptor ssh gets as its stdin.
   int child_end() const { return read_end_; }
   // Call once ssh runs with child_end(): closes our copy of it and starts feeding.
   void start();
   // Ends the feeding and closes every descriptor; call it once ssh has ended.
   void stop() noexcept;
   // Why reading the host's stdin failed ("" when it did not); valid after stop().
   const std::string& read_error() const { return read_error_; }

 private:
   void feed() noexcept;
   bool write_all(const char* data, std::size_t size) noexcept;
   bool wait_until_ssh_reads() noexcept;
   // Polls `fd` for `events` and the stop request; false on a stop request.
   bool wait(int fd, short events, int timeout_ms) noexcept;

   std::string prefix_;
   int source_fd_;
   int read_end_ = -1;
   int write_end_ = -1;
   int stop_fd_ = -1;
   std::thread thread_;
   std::string read_error_;
};

}  // namespace dpp::plugins::system_ssh

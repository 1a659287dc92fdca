// A file descriptor closed when it goes out of scope (the bundle code works on descriptors so
// that no path component is looked up twice and no planted symlink is followed).
#pragma once

#include <unistd.h>

#include <utility>

namespace dpp::core::bundle {

class UniqueFd {
 public:
   UniqueFd() = default;
   explicit UniqueFd(int fd) : fd_(fd) {}
   ~UniqueFd() { reset(); }
   UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
   UniqueFd& operator=(UniqueFd&& other) noexcept {
      if (this != &other) {
         reset();
         fd_ = std::exchange(other.fd_, -1);
      }
      return *this;
   }
   UniqueFd(const UniqueFd&) = delete;
   UniqueFd& operator=(const UniqueFd&) = delete;

   int get() const { return fd_; }
   explicit operator bool() const { return fd_ >= 0; }
   void reset(int fd = -1) {
      if (fd_ >= 0) ::close(fd_);
      fd_ = fd;
   }

 private:
   int fd_ = -1;
};

}  // namespace dpp::core::bundle

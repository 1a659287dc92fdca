// The tests' pipe (pipe.hpp).
#include "support/pipe.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <stdexcept>

namespace dpp::test {

Pipe::Pipe() {
   int fds[2];
   if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
   read = fds[0];
   write = fds[1];
}

Pipe::~Pipe() {
   close_read();
   close_write();
}

void Pipe::close_read() {
   if (read >= 0) ::close(read);
   read = -1;
}

void Pipe::close_write() {
   if (write >= 0) ::close(write);
   write = -1;
}

}  // namespace dpp::test

// A pipe whose two ends close when it goes out of scope (or earlier, one at a time, to send EOF).
// Both ends are close-on-exec: a child gets one only through an explicit dup2.
#pragma once

namespace dpp::test {

class Pipe {
 public:
   Pipe();  // throws std::runtime_error when pipe2 fails
   ~Pipe();
   Pipe(const Pipe&) = delete;
   Pipe& operator=(const Pipe&) = delete;

   void close_read();
   void close_write();

   int read = -1;
   int write = -1;
};

}  // namespace dpp::test

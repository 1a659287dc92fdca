// Commands of tens to hundreds of KiB for the transport tests: a POSIX sh script that prints a
// literal full of what login shells misread, then copies its stdin, then exits 7. The output
// shows whether the script arrived byte for byte and whether stdin was left to it untouched.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace dpp::test {

struct LargeCommand {
   std::string script;
   std::string input;     // what the test writes to the command's stdin
   std::string expected;  // the command's whole stdout
   std::string marker;    // letters in the middle of the script that no encoding changes
   int exit_code = 7;
};

// A script of at least `size` bytes. `tricky`: quotes, backslashes, '!', '$', tabs, CR and
// non-ASCII bytes over many lines (the login-shell encoding grows it about 2x); otherwise one
// long line of letters, digits and spaces, which the transports can send as it is.
LargeCommand make_large_command(std::size_t size, bool tricky, uint64_t seed);

}  // namespace dpp::test

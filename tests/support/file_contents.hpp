// A whole file's bytes, read or written in one call, for tests that damage or inspect files.
#pragma once

#include <string>

namespace dpp::test {

// The file's bytes; empty when it cannot be read.
std::string read_file(const std::string& path);
// Replaces the file's bytes with `content` (creating it with the process's umask).
void write_file(const std::string& path, const std::string& content);

}  // namespace dpp::test

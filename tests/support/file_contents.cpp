// Whole-file reads and writes for tests (see file_contents.hpp).
#include "support/file_contents.hpp"

#include <fstream>
#include <sstream>

namespace dpp::test {

std::string read_file(const std::string& path) {
   std::ifstream in(path, std::ios::binary);
   std::ostringstream content;
   content << in.rdbuf();
   return content.str();
}

void write_file(const std::string& path, const std::string& content) {
   std::ofstream out(path, std::ios::binary | std::ios::trunc);
   out << content;
}

}  // namespace dpp::test

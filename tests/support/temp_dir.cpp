// Temporary folders for tests.
#include "support/temp_dir.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace dpp::test {

TempDir::TempDir(const std::string& prefix) {
   const char* base = std::getenv("TMPDIR");
   std::string pattern = std::string(base && *base ? base : "/tmp") + "/" + prefix + "-XXXXXX";
   std::vector<char> buffer(pattern.begin(), pattern.end());
   buffer.push_back('\0');
   if (!::mkdtemp(buffer.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
   path_ = buffer.data();
}

TempDir::~TempDir() {
   std::error_code error;
   std::filesystem::remove_all(path_, error);
}

std::string TempDir::write(const std::string& name, const std::string& content, unsigned mode) const {
   const std::string target = file(name);
   std::filesystem::create_directories(std::filesystem::path(target).parent_path());
   {
      std::ofstream out(target, std::ios::binary | std::ios::trunc);
      out << content;
   }
   ::chmod(target.c_str(), mode);
   return target;
}

std::string TempDir::read(const std::string& name) const {
   std::ifstream in(file(name), std::ios::binary);
   std::stringstream buffer;
   buffer << in.rdbuf();
   return buffer.str();
}

}  // namespace dpp::test

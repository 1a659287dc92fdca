// A private temporary folder removed with everything in it when the test ends.
#pragma once

#include <string>

namespace dpp::test {

class TempDir {
 public:
   explicit TempDir(const std::string& prefix = "dpp-test");
   ~TempDir();
   TempDir(const TempDir&) = delete;
   TempDir& operator=(const TempDir&) = delete;

   const std::string& path() const { return path_; }
   std::string file(const std::string& name) const { return path_ + "/" + name; }
   // Writes `content` to `name` (mode `mode`) and returns its path.
   std::string write(const std::string& name, const std::string& content, unsigned mode = 0600) const;
   std::string read(const std::string& name) const;

 private:
   std::string path_;
};

}  // namespace dpp::test

// Runtime credentials for the transport tests.
#include "test_credentials.hpp"

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "support/child_process.hpp"

namespace dpp::test {
namespace {

std::string trim(std::string text) {
   while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
   return text;
}

}  // namespace

TestKeyPair make_key_pair(const TempDir& dir, const std::string& name) {
   TestKeyPair pair;
   pair.private_file = dir.file(name);
   pair.public_file = pair.private_file + ".pub";
   ProcessOptions keygen;
   keygen.argv = {"/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "dpp-test-" + name, "-f",
                  pair.private_file};
   const ProcessResult made = run_process(keygen);
   if (made.exit_code != 0) throw std::runtime_error("ssh-keygen failed: " + made.err);
   pair.public_line = trim(dir.read(name + ".pub"));
   return pair;
}

TestPassword make_password() {
   static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
   std::random_device device;
   std::uniform_int_distribution<int> pick(0, sizeof alphabet - 2);
   TestPassword result;
   for (int i = 0; i < 24; ++i) result.password += alphabet[pick(device)];
   ProcessOptions hash;
   hash.argv = {"/usr/bin/openssl", "passwd", "-6", "-stdin"};
   hash.stdin_data = result.password + "\n";
   const ProcessResult made = run_process(hash);
   if (made.exit_code != 0) throw std::runtime_error("openssl passwd failed: " + made.err);
   result.hash = trim(made.out);
   return result;
}

std::vector<std::string> private_key_material(const std::string& private_file) {
   std::vector<std::string> lines;
   std::ifstream in(private_file);
   std::string line;
   while (std::getline(in, line)) {
      line = trim(line);
      if (line.size() >= 20 && line.find("-----") == std::string::npos) lines.push_back(line);
   }
   return lines;
}

std::string public_line_of(const std::string& private_file) {
   ProcessOptions show;
   show.argv = {"/usr/bin/ssh-keygen", "-y", "-f", private_file};
   const ProcessResult shown = run_process(show);
   if (shown.exit_code != 0) throw std::runtime_error("ssh-keygen -y failed: " + shown.err);
   return trim(shown.out);
}

}  // namespace dpp::test

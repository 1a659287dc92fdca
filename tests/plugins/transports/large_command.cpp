// The large test commands.
#include "large_command.hpp"

#include <random>

namespace dpp::test {
namespace {

std::string stdin_bytes(uint64_t seed) {
   // Every byte value, in a random order and length: the command must get them as they are.
   std::mt19937_64 generator(seed);
   std::string data(70'000 + generator() % 1000, '\0');
   for (auto& c : data) c = static_cast<char>(generator() & 0xff);
   return data;
}

}  // namespace

LargeCommand make_large_command(std::size_t size, bool tricky, uint64_t seed) {
   static const std::string kTrickyAlphabet =
       "abcdefghij ABCDEFGHIJ 0123456789 '\"\\!$`%&|;<>(){}[]*?~#^=+-_.,:@/\t\r\xc3\xa9\xe2\x82\xac";
   static const std::string kPlainAlphabet =
       "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789";
   const std::string& alphabet = tricky ? kTrickyAlphabet : kPlainAlphabet;
   std::mt19937_64 generator(seed);
   std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
   LargeCommand command;
   command.input = stdin_bytes(seed);
   for (int i = 0; i < 48; ++i) command.marker += static_cast<char>('a' + generator() % 26);
   std::string literal;
   bool marked = false;
   auto mark_halfway = [&] {
      if (marked || literal.size() * 2 < size) return;
      literal += command.marker;
      marked = true;
   };
   if (tricky) {
      // A here-document: every byte of the body comes out as it is.
      const std::string head = "cat <<'DPP_END_OF_LITERAL'\n";
      const std::string tail = "DPP_END_OF_LITERAL\ncat\nexit 7\n";
      while (head.size() + literal.size() + tail.size() < size) {
         mark_halfway();
         std::string line = std::to_string(literal.size()) + ":";
         for (int i = 0; i < 70; ++i) line += alphabet[pick(generator)];
         literal += line + "\n";
      }
      command.script = head + literal + tail;
   } else {
      const std::string head = "printf %s \"";
      const std::string tail = "\"; cat; exit 7";
      while (head.size() + literal.size() + tail.size() < size) {
         mark_halfway();
         literal += alphabet[pick(generator)];
      }
      command.script = head + literal + tail;
   }
   command.expected = literal + command.input;
   return command;
}

}  // namespace dpp::test

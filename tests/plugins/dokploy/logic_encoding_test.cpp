// The quoting that carries spec values into YAML and dotenv without changing a byte.
#include <gtest/gtest.h>

#include <dpp/cpp/plugin.hpp>

#include "text_encoding.hpp"

namespace dpp::dokploy {
namespace {

TEST(YamlQuoting, DollarsAreDoubledForComposeAndKeptOtherwise) {
   EXPECT_EQ(yaml_quoted("$6$salt$hash ${X}"), "\"$$6$$salt$$hash $${X}\"");
   EXPECT_EQ(yaml_quoted("$6$x", /*compose=*/false), "\"$6$x\"");
}

TEST(YamlQuoting, QuotesBackslashesAndControlCharactersAreEscaped) {
   EXPECT_EQ(yaml_quoted("a\"b\\c\nd\te\rf\x01g\x7F"), "\"a\\\"b\\\\c\\nd\\te\\rf\\u0001g\\u007F\"");
}

TEST(YamlQuoting, CharactersYamlTakesForLineBreaksAreEscaped) {
   EXPECT_EQ(yaml_quoted("nel\xC2\x85 ls\xE2\x80\xA8 ps\xE2\x80\xA9 bom\xEF\xBB\xBF"),
             "\"nel\\u0085 ls\\u2028 ps\\u2029 bom\\uFEFF\"");
   EXPECT_EQ(yaml_quoted("Grüße \xF0\x9F\x9A\x80"), "\"Grüße \xF0\x9F\x9A\x80\"");
}

TEST(YamlQuoting, InvalidUtf8IsRefused) {
   EXPECT_THROW(yaml_quoted("bad \xC3\x28"), dpp::sdk::Error);
   EXPECT_THROW(yaml_quoted("surrogate \xED\xA0\x80"), dpp::sdk::Error);
   EXPECT_THROW(yaml_quoted("overlong \xC0\xAF"), dpp::sdk::Error);
}

TEST(DotenvLine, PicksAQuoteTheValueDoesNotContain) {
   EXPECT_EQ(dotenv_line("A", "plain $HOME"), "A='plain $HOME'");
   EXPECT_EQ(dotenv_line("A", "it's"), "A=`it's`");
   EXPECT_EQ(dotenv_line("A", "it's `x`"), "A=\"it's `x`\"");
   EXPECT_EQ(dotenv_line("A", "two\nlines"), "A='two\nlines'");
}

TEST(DotenvLine, ValuesNoQuotingCanCarryAreRefused) {
   EXPECT_THROW(dotenv_line("A", "' ` \""), dpp::sdk::Error);
   EXPECT_THROW(dotenv_line("A", "' ` \\n"), dpp::sdk::Error);
   EXPECT_THROW(dotenv_line("A", "a\rb"), dpp::sdk::Error);
   EXPECT_THROW(dotenv_line("A", "${{project.SECRET}}"), dpp::sdk::Error);
   EXPECT_THROW(dotenv_line("1A", "x"), dpp::sdk::Error);
}

}  // namespace
}  // namespace dpp::dokploy

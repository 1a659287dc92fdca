// The text helpers every message of the host relies on to show untrusted input safely, and the
// machine id rule DevPod's ids follow.
#include <gtest/gtest.h>

#include "lifecycle/session.hpp"
#include "util/text.hpp"

namespace dpp::core {
namespace {

TEST(Text, Utf8ValidationAcceptsEveryWellFormedSequence) {
   EXPECT_TRUE(is_valid_utf8(""));
   EXPECT_TRUE(is_valid_utf8("ascii"));
   EXPECT_TRUE(is_valid_utf8("Grüße"));
   EXPECT_TRUE(is_valid_utf8("世界"));
   EXPECT_TRUE(is_valid_utf8("\xf0\x9f\x98\x80"));  // U+1F600
   EXPECT_TRUE(is_valid_utf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF
}

TEST(Text, Utf8ValidationRejectsMalformedOverlongSurrogateAndOutOfRange) {
   EXPECT_FALSE(is_valid_utf8("\xff"));
   EXPECT_FALSE(is_valid_utf8("\xc3"));                  // cut short
   EXPECT_FALSE(is_valid_utf8("\xc3\x28"));              // bad continuation
   EXPECT_FALSE(is_valid_utf8("\xc0\x80"));              // overlong NUL
   EXPECT_FALSE(is_valid_utf8("\xe0\x80\xaf"));          // overlong '/'
   EXPECT_FALSE(is_valid_utf8("\xed\xbf\xbf"));          // surrogate
   EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));      // above U+10FFFF
   EXPECT_FALSE(is_valid_utf8("\xf8\x88\x80\x80\x80"));  // five-byte form
}

TEST(Text, ExcerptEscapesControlAndNonAsciiBytesAndCutsLongText) {
   EXPECT_EQ(printable_excerpt("plain"), "plain");
   EXPECT_EQ(printable_excerpt("a\nb\x1b[0m"), "a\\x0ab\\x1b[0m");
   EXPECT_EQ(printable_excerpt("\xff"), "\\xff");
   EXPECT_EQ(printable_excerpt(std::string(100, 'x'), 10), std::string(10, 'x') + "… (100 bytes)");
}

TEST(Text, ShellQuoteSurvivesQuotesAndNewlines) {
   EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
   EXPECT_EQ(shell_quote(""), "''");
   EXPECT_EQ(shell_quote("a\nb $HOME"), "'a\nb $HOME'");
}

TEST(Text, SplitKeepsEmptyFields) {
   EXPECT_EQ(split("a::b:", ':'), (std::vector<std::string>{"a", "", "b", ""}));
   EXPECT_EQ(split("", ':'), (std::vector<std::string>{""}));
}

TEST(Text, TrimRemovesSpacesTabsAndLineEnds) {
   EXPECT_EQ(trim(" \t value \r\n"), "value");
   EXPECT_EQ(trim("   "), "");
}

TEST(MachineId, DevpodIdsAreAcceptedAndAnythingElseIsNot) {
   EXPECT_TRUE(is_valid_machine_id("devpod-abc-123"));
   EXPECT_TRUE(is_valid_machine_id(std::string(48, 'a')));
   EXPECT_FALSE(is_valid_machine_id(std::string(49, 'a')));
   EXPECT_FALSE(is_valid_machine_id(""));
   EXPECT_FALSE(is_valid_machine_id("-leading-dash"));
   EXPECT_FALSE(is_valid_machine_id("Upper"));
   EXPECT_FALSE(is_valid_machine_id("../../etc"));
   EXPECT_FALSE(is_valid_machine_id("a b"));
}

}  // namespace
}  // namespace dpp::core

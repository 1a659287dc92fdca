// log_excerpt: what of a deployment log reaches an error message.
#include <gtest/gtest.h>

#include "log_excerpt.hpp"

namespace dpp::dokploy {
namespace {

using Lines = std::vector<std::string>;

TEST(LogExcerpt, KeepsTheLastMeaningfulLinesInOrder) {
   const std::string log =
       "Initializing deployment\nPulling x\n\n   \n3f4ca61aafcd: Pulling fs layer\n3f4ca61aafcd: Extracting "
       "[=>   ]\n"
       "Error response from daemon: boom\n❌ Pulling image failed\n\nError occurred ❌, check the logs for "
       "details.\n";
   EXPECT_EQ(log_excerpt(log, {}),
             (Lines{"Pulling x", "Error response from daemon: boom", "❌ Pulling image failed"}));
   EXPECT_EQ(log_excerpt(log, {}, {.lines = 1}), (Lines{"❌ Pulling image failed"}));
}

TEST(LogExcerpt, DropsDokploysBannerBox) {
   const std::string log = "╔════╗\n║ App Name: ws ║\n║    ║\n╚════╝\n Container ws-1  Created\n";
   EXPECT_EQ(log_excerpt(log, {}), (Lines{"Container ws-1  Created"}));
}

TEST(LogExcerpt, ResolvesTerminalEscapesAndRedraws) {
   const std::string log = "\x1b[1;31mred\x1b[0m \x1b]0;title\adone\r\nstep 1\rstep 2\r\nbell\a tab\there\n";
   EXPECT_EQ(log_excerpt(log, {}), (Lines{"red done", "step 2", "bell  tab here"}));
}

TEST(LogExcerpt, DropsMalformedUtf8AndCutsLongLinesAtACharacter) {
   const std::string log = "bad \xff\xfe bytes\n" + std::string(5, 'a') + "é" + std::string(10, 'b') + "\n";
   EXPECT_EQ(log_excerpt(log, {}, {.lines = 12, .chars = 6}), (Lines{"bad  b…", "aaaaaé…"}));
}

TEST(LogExcerpt, RedactsEverySpellingOfASecretAndKeyLikeRuns) {
   const std::string secret = "$6$salt$hash\"with\nlines";
   const std::string log = "raw " + secret +
                           " end\n"
                           "compose $$6$$salt$$hash\"with\n"
                           "yaml $$6$$salt$$hash\\\"with\\nlines\n"
                           "base64 QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkw0a here\n"
                           "digest sha256:0123456789abcdef0123456789abcdef0123456789abcdef stays\n";
   EXPECT_EQ(log_excerpt(log, {secret, "tiny"}),
             (Lines{"raw <redacted> end", "compose <redacted>", "yaml <redacted>", "base64 <redacted> here",
                    "digest sha256:0123456789abcdef0123456789abcdef0123456789abcdef stays"}));
}

}  // namespace
}  // namespace dpp::dokploy

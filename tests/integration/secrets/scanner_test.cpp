// The scanner the secret tests rely on finds what it must (tests/support/secret_scan): a secret in
// text, in a file under a folder, in the argv of any process, and in the environment of a process
// started by the watched program — so an empty list of findings elsewhere means something.
#include <gmock/gmock.h>

#include <unistd.h>

#include "secrets_fixture.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::secrets {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

TEST(SecretScanner, FindsASecretInTextAndNamesItByLabelOnly) {
   SecretSet secrets;
   const std::string token = "scanner-token-" + random_hex(8);
   secrets.add("API token", token);
   EXPECT_THAT(secrets.find_in("stderr", "x-api-key: " + token + "\n"), ElementsAre("stderr holds API token"));
   EXPECT_THAT(secrets.find_in("stderr", "nothing here"), IsEmpty());
   EXPECT_THROW(secrets.add("short", "1234567"), std::invalid_argument);
}

TEST(SecretScanner, FindsAnyLineOfAPrivateKeyInFilesButSkipsTheExceptions) {
   TempDir dir("dpp-secret-scanner");
   const std::string key = "-----BEGIN OPENSSH PRIVATE KEY-----\n"
                           "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
                           "QyNTUxOQAAACDXWpgBgrEKt9VL/tPJZAc6DuFy89qmIyWvAhpo9wdRGgAAAJgAAAAAAAAA\n"
                           "-----END OPENSSH PRIVATE KEY-----\n";
   SecretSet secrets;
   secrets.add_private_key_text("client key", key);
   const std::string kept = dir.write("id_ed25519", key);
   dir.write("notes/log.txt", "a line: QyNTUxOQAAACDXWpgBgrEKt9VL/tPJZAc6DuFy89qmIyWvAhpo9wdRGgAAAJgAAAAAAAAA\n");
   dir.write("clean.txt", "nothing");
   const auto findings = secrets.find_in_tree(dir.path(), {kept});
   ASSERT_THAT(findings, SizeIs(1));
   EXPECT_THAT(findings[0], HasSubstr("notes/log.txt"));
   EXPECT_THAT(findings[0], HasSubstr("client key"));
}

TEST(SecretScanner, SeesTheArgvOfAnyProcessAndTheEnvironmentOfTheProgramsChildren) {
   SecretSet secrets;
   const std::string in_argv = "argv-secret-" + random_hex(8);
   const std::string in_env = "env-secret-" + random_hex(8);
   secrets.add("argv secret", in_argv);
   secrets.add("environment secret", in_env);
   // /bin/sh (the watched program) starts a child whose environment holds one secret; another
   // process has the other in its argv. The watch must see both while they run.
   ProcessSecretWatch watch(secrets, {.parent_executable = "/usr/bin/dash"});
   // (ChildProcess stops each shell's process group, its sleep included.)
   ChildProcess argv_holder({.argv = {"/usr/bin/dash", "-c", "/bin/sleep 30 & wait", in_argv}});
   ChildProcess parent({.argv = {"/usr/bin/dash", "-c", "SECRET=" + in_env + " /bin/sleep 30 & wait"}});
   while (watch.children_seen() == 0 || watch.samples() < 3) ::usleep(20 * 1000);
   const auto findings = watch.stop();
   argv_holder.stop();
   parent.stop();
   std::string all;
   for (const auto& finding : findings) all += finding + "\n";
   EXPECT_THAT(all, HasSubstr("argv holds argv secret"));
   EXPECT_THAT(all, HasSubstr("environment holds environment secret"));
   EXPECT_EQ(all.find(in_argv), std::string::npos) << "a finding shows the secret itself";
}

}  // namespace
}  // namespace dpp::test::secrets

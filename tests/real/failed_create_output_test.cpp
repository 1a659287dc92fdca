// What a person sees through the real DevPod CLI when a create fails against real Dokploy, and
// how the provider's own lines read there: a deploy that fails says what Dokploy logged, an
// ingress port that the Swarm routing mesh never forwards (these machines have no mesh) fails
// early with the fix, a machine whose create failed answers at once, and init's report and the
// verbs' lines read once, at the level they mean.
#include <gtest/gtest.h>

#include <sstream>

#include "leftovers.hpp"
#include "real_machine.hpp"
#include "support/child_process.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::real {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
   std::vector<std::string> lines;
   std::istringstream in(text);
   for (std::string line; std::getline(in, line);) lines.push_back(line);
   return lines;
}

bool contains(const std::string& text, const std::string& part) {
   return text.find(part) != std::string::npos;
}

std::string both_streams(const devpod::CliResult& result) {
   return result.process.out + result.process.err;
}

// Application workspaces: the README says Dokploy keeps their named volumes; removed here.
void expect_nothing_left(const std::string& machine_id) {
   const Leftovers left = find_leftovers(RealWorld::get(), machine_id);
   EXPECT_TRUE(left.nothing_but_volumes()) << left.describe();
   remove_volumes(RealWorld::get(), left.volumes);
}

TEST(RealFailures, IngressThatDoesNotRouteFailsCreateEarlyWithTheFixAndRollsBack) {
   DPP_REQUIRE_REAL_WORLD();
   RealMachine machine(
       "ingress", {{"DOKPLOY_SERVICE_TYPE", "application"}, {"DOKPLOY_SSH_PUBLISH_MODE", "ingress"}}, 24140);
   ASSERT_TRUE(machine.add_provider().ok());

   const auto created = machine.machine("create");
   ASSERT_FALSE(created.ok()) << "the routing mesh does not forward on these machines: "
                              << created.describe();
   const std::string said = both_streams(created);
   EXPECT_TRUE(contains(said, "routing mesh does not forward")) << created.describe();
   EXPECT_TRUE(contains(said, "DOKPLOY_SSH_PUBLISH_MODE=host")) << created.describe();
   expect_nothing_left(machine.id());
}

TEST(RealFailures, FailedDeploySaysWhatDokployLoggedAndTheMachineAnswersAtOnce) {
   DPP_REQUIRE_REAL_WORLD();
   const std::string missing_image = RealWorld::get().registry() + "/dpp-does-not-exist:1";
   RealMachine machine("pullfail",
                       {{"DOKPLOY_SERVICE_TYPE", "application"},
                        {"DOKPLOY_SSH_PUBLISH_MODE", "host"},
                        {"DOKPLOY_IMAGE", missing_image}},
                       24160);
   ASSERT_TRUE(machine.add_provider().ok());

   const auto created = machine.machine("create");
   ASSERT_FALSE(created.ok()) << created.describe();
   const std::string said = both_streams(created);
   // v0.24.0 and v0.26.0 have no deployment.readLogs (404): the error says where the log is in
   // Dokploy's UI instead; v0.30.2 gives the log's last lines.
   const std::string& version = RealWorld::get().dokploy_version();
   if (version == "0.24.0" || version == "0.26.0") {
      EXPECT_TRUE(contains(said, "has no deployment.readLogs to give its log; read it in Dokploy: " +
                                     RealWorld::get().dokploy_url() + "/dashboard/project/"))
          << created.describe();
   } else {
      EXPECT_TRUE(contains(said, "its log in Dokploy ends with")) << created.describe();
   }
   EXPECT_FALSE(contains(said, "Dokploy gave no error message")) << created.describe();
   EXPECT_FALSE(contains(said, RealWorld::get().api_key())) << "the API key must never be printed";
   expect_nothing_left(machine.id());

   // DevPod keeps a machine whose create failed and calls `command` every few seconds while it
   // "waits for the agent" (v0.5.7 shows none of the provider's stderr there). The provider's
   // part: status says NotFound, and `command` fails at once with exit 255 and one line that
   // names the failed create and what to run. Called here as DevPod calls it.
   std::string why;
   EXPECT_EQ(machine.state(&why), devpod::MachineState::not_found) << why;
   const ProcessResult command = machine.provider("command", {{"COMMAND", "true"}});
   EXPECT_EQ(command.exit_code, 255) << command.err;
   EXPECT_EQ(command.out, "");
   EXPECT_EQ(lines_of(command.err).size(), 1u) << command.err;
   EXPECT_TRUE(contains(command.err, "failed")) << command.err;
   EXPECT_TRUE(contains(command.err, "devpod machine delete")) << command.err;
}

// DevPod prints init's stdout at info level and its stderr at error level, and puts its own level
// word before every line of create/stop/delete: the report's ✓ lines must not read as errors, and
// no line may repeat the level or the plugin's name.
TEST(RealOutput, InitReportReadsAsInfoAndEveryLineNamesItsOriginOnce) {
   DPP_REQUIRE_REAL_WORLD();
   RealMachine machine(
       "output", {{"DOKPLOY_SERVICE_TYPE", "application"}, {"DOKPLOY_SSH_PUBLISH_MODE", "host"}}, 24180);
   const auto added = machine.add_provider();
   ASSERT_TRUE(added.ok()) << added.describe();
   int report_lines = 0;
   for (const std::string& line : lines_of(both_streams(added))) {
      if (!contains(line, "✓")) continue;
      ++report_lines;
      EXPECT_FALSE(contains(line, "error")) << "init's report shown as an error: " << line;
   }
   EXPECT_GT(report_lines, 0) << "DevPod showed none of init's report:\n" << added.describe();

   for (const char* verb : {"create", "stop", "delete"}) {
      const auto result = machine.machine(verb);
      ASSERT_TRUE(result.ok()) << result.describe();
      for (const std::string& line : lines_of(both_streams(result))) {
         EXPECT_FALSE(contains(line, "dokploy: dokploy:")) << verb << ": " << line;
         EXPECT_FALSE(contains(line, "info  dokploy") || contains(line, "info dokploy"))
             << verb << ": the level word twice: " << line;
      }
   }
   expect_nothing_left(machine.id());
}

}  // namespace
}  // namespace dpp::test::real

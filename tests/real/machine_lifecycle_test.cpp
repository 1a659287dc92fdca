// The provider's whole machine lifecycle through the real DevPod CLI against a real Dokploy:
// `devpod provider add` with options, then `machine create`, `status`, `ssh --command`, `stop`,
// `status`, `start`, `ssh` (a file written before the stop is still there), `delete`, `status`,
// and afterwards nothing of the workspace left in Dokploy or Docker. Both service kinds, both
// transports, both auth strategies.
#include <gtest/gtest.h>

#include "leftovers.hpp"
#include "real_machine.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::real {
namespace {

using devpod::MachineState;

struct Flavour {
   std::string name;  // also the machine name's start
   std::map<std::string, std::string> options;
   int port_base;
};

std::ostream& operator<<(std::ostream& out, const Flavour& flavour) {
   return out << flavour.name;
}

std::string state_text(const RealMachine& machine) {
   std::string error;
   const MachineState state = machine.state(&error);
   return state == MachineState::unknown ? "unknown: " + error : devpod::machine_state_name(state);
}

class MachineLifecycle : public ::testing::TestWithParam<Flavour> {};

TEST_P(MachineLifecycle, LivesThroughDevPodsMachineVerbsAndLeavesNothingBehind) {
   DPP_REQUIRE_REAL_WORLD();
   const Flavour& flavour = GetParam();
   RealMachine machine(flavour.name, flavour.options, flavour.port_base);

   const auto added = machine.add_provider();
   ASSERT_TRUE(added.ok()) << added.describe();

   const auto created = machine.machine("create");
   ASSERT_TRUE(created.ok()) << created.describe();
   EXPECT_EQ(state_text(machine), "Running");

   const auto hello = machine.ssh("echo hello from $(id -un); echo kept > \"$HOME/kept.txt\"");
   ASSERT_TRUE(hello.ok()) << hello.describe();
   EXPECT_NE(hello.process.out.find("hello from devpod"), std::string::npos) << hello.describe();

   const auto stopped = machine.machine("stop");
   ASSERT_TRUE(stopped.ok()) << stopped.describe();
   EXPECT_EQ(state_text(machine), "Stopped");

   const auto started = machine.machine("start");
   ASSERT_TRUE(started.ok()) << started.describe();
   EXPECT_EQ(state_text(machine), "Running");

   const auto again = machine.ssh("cat \"$HOME/kept.txt\"");
   ASSERT_TRUE(again.ok()) << again.describe();
   EXPECT_EQ(again.process.out, "kept\n") << again.describe();

   const auto deleted = machine.machine("delete");
   ASSERT_TRUE(deleted.ok()) << deleted.describe();
   EXPECT_EQ(state_text(machine), "NotFound");

   const Leftovers left = find_leftovers(RealWorld::get(), machine.id());
   EXPECT_TRUE(left.nothing_but_volumes()) << left.describe();
   // The README says Dokploy keeps an application's named volumes (Swarm services do not own
   // them); a compose workspace's `down` removes its own.
   if (flavour.options.at("DOKPLOY_SERVICE_TYPE") == "compose") {
      EXPECT_TRUE(left.volumes.empty()) << left.describe();
   }
   remove_volumes(RealWorld::get(), left.volumes);
}

// Ingress publishing does not route on these machines (no Swarm routing mesh): host mode here.
INSTANTIATE_TEST_SUITE_P(Real, MachineLifecycle,
                         ::testing::Values(Flavour{"applibkey",
                                                   {{"DOKPLOY_SERVICE_TYPE", "application"},
                                                    {"DOKPLOY_SSH_PUBLISH_MODE", "host"},
                                                    {"DOKPLOY_SSH_TRANSPORT", "libssh2"},
                                                    {"DOKPLOY_SSH_AUTH", "key"}},
                                                   24000},
                                           Flavour{"appsyspw",
                                                   {{"DOKPLOY_SERVICE_TYPE", "application"},
                                                    {"DOKPLOY_SSH_PUBLISH_MODE", "host"},
                                                    {"DOKPLOY_SSH_TRANSPORT", "system"},
                                                    {"DOKPLOY_SSH_AUTH", "password"}},
                                                   24020},
                                           Flavour{"comlibpw",
                                                   {{"DOKPLOY_SERVICE_TYPE", "compose"},
                                                    {"DOKPLOY_DOCKER_IN_WORKSPACE", "false"},
                                                    {"DOKPLOY_SSH_TRANSPORT", "libssh2"},
                                                    {"DOKPLOY_SSH_AUTH", "password"}},
                                                   24040},
                                           Flavour{"comsyskey",
                                                   {{"DOKPLOY_SERVICE_TYPE", "compose"},
                                                    {"DOKPLOY_DOCKER_IN_WORKSPACE", "false"},
                                                    {"DOKPLOY_SSH_TRANSPORT", "system"},
                                                    {"DOKPLOY_SSH_AUTH", "key"}},
                                                   24060}),
                         [](const ::testing::TestParamInfo<Flavour>& flavour) { return flavour.param.name; });

}  // namespace
}  // namespace dpp::test::real

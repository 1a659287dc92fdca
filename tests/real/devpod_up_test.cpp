// `devpod up` itself against real Dokploy: DevPod injects its agent through the provider's
// `command`, runs `agent workspace up` in the workspace, builds the dev container with the
// workspace's own Docker (Docker-in-Docker without a privileged container:
// DOKPLOY_DOCKER_PRIVILEGES=capabilities) and `devpod ssh` lands inside that dev container.
// There is no registry on the internet here, and DevPod inspects a Dockerfile's base image in the
// workspace's Docker before it looks remotely: the machine is created first, a Debian root the
// tier made is imported into its Docker through `devpod machine ssh`, and `devpod up --machine`
// builds the dev container FROM it.
#include <gtest/gtest.h>

#include <filesystem>

#include "leftovers.hpp"
#include "real_machine.hpp"
#include "support/devpod_provider.hpp"
#include "support/emulator.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::real {
namespace {

constexpr const char* kDevcontainerJson = R"({
  "name": "real-tier",
  "build": {"dockerfile": "Dockerfile"},
  "remoteUser": "root"
}
)";

constexpr const char* kBaseImage = "dpp-devcontainer-base:bookworm";

constexpr const char* kDockerfile = R"(FROM dpp-devcontainer-base:bookworm
RUN echo "inside the dev container" > /etc/dpp-devcontainer
CMD ["sleep", "infinity"]
)";

TEST(RealDevPodUp, DevPodUpBuildsTheDevContainerInADockerInDockerWorkspaceAndSshLandsInIt) {
   DPP_REQUIRE_REAL_WORLD();
   const RealWorld& world = RealWorld::get();
   const std::string root_tarball = world.devcontainer_root();
   if (root_tarball.empty() || !std::filesystem::exists(root_tarball))
      DPP_SKIP("no dev container root (" + root_tarball + "): run `tools/dev real up` again");

   TempDir project("dpp-real-project");
   std::filesystem::create_directories(project.file(".devcontainer"));
   project.write(".devcontainer/devcontainer.json", kDevcontainerJson, 0644);
   project.write(".devcontainer/Dockerfile", kDockerfile, 0644);
   project.write("hello.txt", "uploaded by devpod up\n", 0644);

   RealMachine workspace("upwsp",
                         {{"DOKPLOY_SERVICE_TYPE", "compose"},
                          {"DOKPLOY_DOCKER_IN_WORKSPACE", "true"},
                          {"DOKPLOY_DOCKER_PRIVILEGES", "capabilities"}},
                         24120);
   const auto added = workspace.add_provider();
   ASSERT_TRUE(added.ok()) << added.describe();

   const auto created = workspace.machine("create");
   ASSERT_TRUE(created.ok()) << created.describe();
   const auto imported =
       workspace.ssh_with_stdin_file(std::string("sudo docker import - ") + kBaseImage +
                                         " >/dev/null && sudo docker image inspect -f ok " + kBaseImage,
                                     root_tarball);
   ASSERT_TRUE(imported.ok()) << imported.describe();
   ASSERT_EQ(imported.process.out, "ok\n") << imported.describe();

   const auto up = workspace.cli().run({"up", project.path(), "--machine", workspace.id(), "--ide", "none",
                                        "--id", workspace.id(), "--configure-ssh=false"},
                                       std::nullopt, std::chrono::minutes(25));
   workspace.own_workspace();
   ASSERT_TRUE(up.ok()) << up.describe();

   const auto inside = workspace.cli().run(
       {"ssh", workspace.id(), "--command", "cat /etc/dpp-devcontainer; cat \"$PWD/hello.txt\"; id -un"},
       std::nullopt, std::chrono::minutes(5));
   EXPECT_TRUE(inside.ok()) << inside.describe();
   EXPECT_EQ(inside.process.out, "inside the dev container\nuploaded by devpod up\nroot\n")
       << inside.describe();

   const auto removed =
       workspace.cli().run({"delete", workspace.id(), "--force"}, std::nullopt, std::chrono::minutes(10));
   ASSERT_TRUE(removed.ok()) << removed.describe();
   const auto machine_removed = workspace.machine("delete");
   ASSERT_TRUE(machine_removed.ok()) << machine_removed.describe();
   workspace.forget();

   const Leftovers left = find_leftovers(world, workspace.id());
   EXPECT_TRUE(left.nothing_but_volumes()) << left.describe();
   EXPECT_TRUE(left.volumes.empty()) << left.describe();
   remove_volumes(world, left.volumes);
}

}  // namespace
}  // namespace dpp::test::real

// `devpod up` itself against real Dokploy: DevPod injects its agent through the provider's
// `command`, runs `agent workspace up` in the workspace, builds the dev container with the
// workspace's own Docker (Docker-in-Docker without a privileged container:
// DOKPLOY_DOCKER_PRIVILEGES=capabilities) and `devpod ssh` lands inside that dev container.
// The dev container is built FROM scratch out of a Debian root the tier made (no registry on the
// internet here), uploaded with the project folder.
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

constexpr const char* kDockerfile = R"(FROM scratch
ADD root.tar.gz /
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
   std::filesystem::copy_file(root_tarball, project.file(".devcontainer/root.tar.gz"));
   project.write("hello.txt", "uploaded by devpod up\n", 0644);

   RealMachine workspace("upwsp",
                         {{"DOKPLOY_SERVICE_TYPE", "compose"},
                          {"DOKPLOY_DOCKER_IN_WORKSPACE", "true"},
                          {"DOKPLOY_DOCKER_PRIVILEGES", "capabilities"}},
                         24120);
   const auto added = workspace.add_provider();
   ASSERT_TRUE(added.ok()) << added.describe();

   workspace.own_workspace();
   const auto up = workspace.cli().run({"up", project.path(), "--provider", "dokploy", "--ide", "none",
                                        "--id", workspace.id(), "--configure-ssh=false"},
                                       std::nullopt, std::chrono::minutes(25));
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
   workspace.forget();

   // DevPod names the machine it made for the workspace after the workspace.
   const Leftovers left = find_leftovers(world, workspace.id());
   EXPECT_TRUE(left.nothing_but_volumes()) << left.describe();
   EXPECT_TRUE(left.volumes.empty()) << left.describe();
   remove_volumes(world, left.volumes);
}

}  // namespace
}  // namespace dpp::test::real

// The generated compose file: what it holds, and that nothing in a spec changes its structure.
#include <gtest/gtest.h>

#include "compose_file.hpp"
#include "service_naming.hpp"
#include "support/child_process.hpp"
#include "support/test_paths.hpp"

namespace dpp::dokploy {
namespace {

WorkspacePlan plan() {
   WorkspacePlan p;
   p.spec.machine_id = "m1";
   p.spec.image = "cruizba/ubuntu-dind:latest";
   p.spec.command = {"/bin/sh", "-c", "echo $HOME"};
   p.spec.env = {{"DPP_SSH_PASSWORD_HASH", "$6$salt$hash"}};
   p.spec.ssh_port = 2222;
   p.spec.volumes = {{"home", "/home/devpod"}};
   p.spec.memory_limit_bytes = 1 << 30;
   p.spec.cpu_limit_millis = 1500;
   p.spec.flags = DPP_WORKSPACE_PRIVILEGED;
   p.ssh_port = 2231;
   p.name = service_name("m1", 2231);
   return p;
}

TEST(ComposeFile, HoldsEveryPartOfTheWorkspace) {
   const std::string file = compose_file(plan());
   for (const char* part :
        {"image: \"cruizba/ubuntu-dind:latest\"", "- \"echo $$HOME\"", "privileged: true",
         "restart: \"unless-stopped\"", "target: 2222", "published: \"2231\"",
         "\"DPP_SSH_PASSWORD_HASH\": \"$$6$$salt$$hash\"", "source: \"home\"", "target: \"/home/devpod\"",
         "cpus: \"1.5\"", "memory: \"1073741824\"", "\"home\": {}"})
      EXPECT_NE(file.find(part), std::string::npos) << part << "\n" << file;
}

TEST(ComposeFile, UnprivilegedWithoutLimitsOrVolumesStaysMinimal) {
   WorkspacePlan p = plan();
   p.spec.flags = 0;
   p.spec.memory_limit_bytes = 0;
   p.spec.cpu_limit_millis = 0;
   p.spec.volumes.clear();
   const std::string file = compose_file(p);
   EXPECT_EQ(file.find("privileged"), std::string::npos);
   EXPECT_EQ(file.find("deploy:"), std::string::npos);
   EXPECT_EQ(file.find("volumes:"), std::string::npos);
}

TEST(ComposeFile, CapabilitiesGiveDockerdWhatItNeedsWithoutPrivileged) {
   WorkspacePlan p = plan();
   p.docker_privileges = DockerPrivileges::capabilities;
   const std::string file = compose_file(p);
   EXPECT_EQ(file.find("privileged"), std::string::npos) << file;
   for (const char* part :
        {"cap_add:\n      - \"SYS_ADMIN\"\n      - \"NET_ADMIN\"\n      - \"SYS_PTRACE\"\n      - "
         "\"MKNOD\"\n",
         "security_opt:\n      - \"seccomp=unconfined\"\n      - \"apparmor=unconfined\"\n    tmpfs:",
         "tmpfs:\n      - \"/run\"\n",
         "      - type: \"bind\"\n        source: \"/sys/fs/cgroup\"\n        target: \"/sys/fs/cgroup\"\n",
         "source: \"home\""})
      EXPECT_NE(file.find(part), std::string::npos) << part << "\n" << file;
}

TEST(ComposeFile, SysboxRunsTheWorkspaceWithItsRuntimeAndNoHostPrivileges) {
   WorkspacePlan p = plan();
   p.docker_privileges = DockerPrivileges::sysbox;
   const std::string file = compose_file(p);
   EXPECT_NE(file.find("    runtime: \"sysbox-runc\"\n"), std::string::npos) << file;
   for (const char* absent : {"privileged", "cap_add", "security_opt", "/sys/fs/cgroup"})
      EXPECT_EQ(file.find(absent), std::string::npos) << absent << "\n" << file;
}

TEST(ComposeFile, NoDockerInsideMeansNoPrivilegesWhateverTheFlavour) {
   for (DockerPrivileges flavour :
        {DockerPrivileges::privileged, DockerPrivileges::capabilities, DockerPrivileges::sysbox}) {
      WorkspacePlan p = plan();
      p.spec.flags = 0;
      p.docker_privileges = flavour;
      const std::string file = compose_file(p);
      for (const char* absent : {"privileged", "cap_add", "runtime", "/sys/fs/cgroup"})
         EXPECT_EQ(file.find(absent), std::string::npos) << absent << "\n" << file;
   }
}

TEST(ComposeFile, SamePlanGivesTheSameBytes) {
   EXPECT_EQ(compose_file(plan()), compose_file(plan()));
}

TEST(ComposeFile, ComposeReadsBackTheSpecsValues) {
   // The emulator's Compose reader (YAML 1.2 + compose-go interpolation) is the judge.
   WorkspacePlan p = plan();
   p.spec.env.push_back({"TRICKY", "a\"b'c`d $X ${Y:-z} $$ \\n\nline\xC2\x85"});
   const std::string script =
       "import json,sys\n"
       "sys.path.insert(0, sys.argv[1])\n"
       "from workspace_runner.compose import specs_from_compose\n"
       "spec = specs_from_compose(sys.stdin.read(), 'p')[0]\n"
       "print(json.dumps({'env': dict(spec.env), 'argv': list(spec.entrypoint), 'priv': spec.privileged}))\n";
   const dpp::test::ProcessResult result = dpp::test::run_process(
       {.argv = {dpp::test::python(), "-c", script, dpp::test::source_dir() + "/tests/emulator"},
        .stdin_data = compose_file(p)});
   ASSERT_EQ(result.exit_code, 0) << result.err;
   EXPECT_NE(result.out.find("\"TRICKY\": \"a\\\"b'c`d $X ${Y:-z} $$ \\\\n\\nline\\u0085\""),
             std::string::npos)
       << result.out;
   EXPECT_NE(result.out.find("\"echo $HOME\""), std::string::npos) << result.out;
   EXPECT_NE(result.out.find("\"priv\": true"), std::string::npos) << result.out;
}

}  // namespace
}  // namespace dpp::dokploy

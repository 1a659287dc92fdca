// The running provider keeps its secrets out of reach: the kernel does not let it be dumped or
// traced by other processes of its user (PR_SET_DUMPABLE 0: its /proc entries belong to root,
// observable when it runs as another user), its core size limit is 0, and no API token, password
// or private key appears in the argv of any process on the machine, nor in the environment of
// any process it starts, while lifecycles run.
#include <gmock/gmock.h>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "secrets_fixture.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::secrets {
namespace {

using ::testing::IsEmpty;

struct ProgramCopy {
   std::string provider;
   std::string plugin;
};

// The provider and the hostile plugin copied into `dir` (made 0755), in the installed layout,
// where any user can read and run them; `dir` is root's, so no other user can change them.
ProgramCopy readable_copy(const TempDir& dir) {
   namespace fs = std::filesystem;
   const fs::path root = dir.path();
   const fs::path bin = root / "bin";
   const fs::path plugins = root / "lib/dokploy-provider/plugins";
   fs::create_directories(bin);
   fs::create_directories(plugins);
   const ProgramCopy copy{(bin / "dokploy-provider").string(),
                          (plugins / fs::path(hostile_plugin()).filename()).string()};
   fs::copy_file(provider_path(), copy.provider);
   fs::copy_file(hostile_plugin(), copy.plugin);
   for (const fs::path& path : {root, bin, root / "lib", root / "lib/dokploy-provider", plugins,
                                fs::path(copy.provider), fs::path(copy.plugin)})
      fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                fs::perms::others_read | fs::perms::others_exec);
   return copy;
}

TEST(ProcessProtectionTest, ProviderIsNotDumpableAndHasNoCoreSize) {
   TempDir dir("dpp-secret-process");
   const std::string folder = dir.file("machine");
   ::mkdir(folder.c_str(), 0700);
   // A state file that knows the endpoint, so `command` goes straight to the (sleeping) transport.
   dir.write("machine/dokploy-provider-state.json",
             R"({"format": "dokploy-provider-machine-state", "version": 1, "machine_id": "m1",
                 "endpoint": {"host": "127.0.0.1", "port": 2222, "user": "devpod",
                              "host_key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINdamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea"}})");
   // As root, every /proc entry belongs to root anyway: run the provider as nobody, so that the
   // owner of its /proc entries tells whether it made itself non-dumpable.
   const bool as_nobody = running_as_root() && hostile::file_exists("/usr/bin/setpriv");
   // nobody may not be able to read the build tree (a checkout under /root, or in any 0700
   // folder): it runs copies in a folder of its own test.
   const ProgramCopy program =
       as_nobody ? readable_copy(dir) : ProgramCopy{provider_path(), hostile_plugin()};
   EnvMap env = clean_environment();
   env["DPP_HOSTILE_MODE"] = "transport.run.sleep";
   env["DOKPLOY_BACKEND"] = env["DOKPLOY_SSH_TRANSPORT"] = env["DOKPLOY_SSH_AUTH"] = program.plugin;
   env["MACHINE_ID"] = "m1";
   env["MACHINE_FOLDER"] = folder;
   std::vector<std::string> argv = {program.provider, "command", "true"};
   if (as_nobody) {
      argv.insert(argv.begin(),
                  {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"});
      ::chown(folder.c_str(), 65534, 65534);
      ::chown((folder + "/dokploy-provider-state.json").c_str(), 65534, 65534);
   }
   // The transport announces that it runs (the provider is then past main()'s first lines) by
   // creating this file; the provider (setpriv execs it, so the pid is the same) is looked at then.
   const std::string ready = dir.file("ready");
   ::mkdir(ready.c_str(), 0700);
   if (as_nobody) ::chown(ready.c_str(), 65534, 65534);
   const std::string running = ready + "/running";
   env["DPP_HOSTILE_READY_FILE"] = running;
   ChildProcess child({.argv = argv, .env = env}, dir.file("provider.log"));
   while (::access(running.c_str(), F_OK) != 0)
      ASSERT_FALSE(child.wait_for(std::chrono::milliseconds(20)).has_value())
          << "the provider ended before its transport ran\n"
          << dir.read("provider.log");
   std::error_code error;
   const auto exe = std::filesystem::read_symlink("/proc/" + std::to_string(child.pid()) + "/exe", error);
   ASSERT_FALSE(error) << error.message();
   ASSERT_EQ(exe, std::filesystem::weakly_canonical(program.provider));
   const ProcessProtection protection = process_protection(child.pid());
   ASSERT_NE(protection.core_soft, -2) << "the provider's limits could not be read\n"
                                       << dir.read("provider.log");
   EXPECT_EQ(protection.core_soft, 0) << "RLIMIT_CORE soft limit";
   EXPECT_EQ(protection.core_hard, 0) << "RLIMIT_CORE hard limit";
   if (as_nobody || !running_as_root()) {
      EXPECT_NE(protection.uid, 0u);
      EXPECT_TRUE(protection.proc_owned_by_root)
          << "/proc/<pid> of the provider (uid " << protection.uid << ") is not root's: it is dumpable";
   } else {
      std::printf("SKIPPED part: setpriv is missing, so dumpability cannot be observed as root\n");
   }
   child.signal(SIGINT);
   EXPECT_TRUE(child.wait_for(std::chrono::seconds(30)).has_value());
}

TEST(ProcessArgv, NoSecretInAnyArgvOrChildEnvironmentDuringALifecycle) {
   for (const std::string auth : {"key", "password"}) {
      emulator().reset();
      TempDir dir("dpp-secret-argv");
      const std::string folder = dir.file("machine");
      const EnvMap env = machine_environment("secret-argv", folder, auth);
      SecretSet secrets;
      secrets.add("API token", emulator().token());
      // The machine's own secrets exist only after create: make them first, then watch the rest.
      ProcessSecretWatch first(
          secrets, {.parent_executable = std::filesystem::weakly_canonical(provider_path()).string(),
                    .ignore = {emulator().pid()}});
      ASSERT_EQ(run_provider({"create", "-vv"}, env).exit_code, 0);
      EXPECT_THAT(first.stop(), IsEmpty()) << auth;
      add_machine_secrets(secrets, folder);
      ProcessSecretWatch watch(
          secrets, {.parent_executable = std::filesystem::weakly_canonical(provider_path()).string(),
                    .ignore = {emulator().pid()}});
      for (const std::string verb : {"status", "command", "stop", "start", "command", "delete"}) {
         std::vector<std::string> args = {verb, "-vv"};
         if (verb == "command") args.insert(args.begin() + 1, "true");
         EXPECT_EQ(run_provider(args, env).exit_code, 0) << verb;
      }
      EXPECT_THAT(watch.stop(), IsEmpty()) << auth;
      // One sample is taken when the watch starts and one when it stops: a third was taken while
      // the verbs ran (how many more depends on the machine's load, so no more is asked).
      EXPECT_GT(watch.samples(), 2) << "the watch did not sample while the verbs ran";
   }
}

}  // namespace
}  // namespace dpp::test::secrets

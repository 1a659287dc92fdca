// check() as init and doctor show it: one line per fact, each failure saying what to fix.
#include <gtest/gtest.h>

#include "dokploy_fixture.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::dokploy {
namespace {

std::map<std::string, CheckLine> by_name(const std::vector<CheckLine>& lines) {
   std::map<std::string, CheckLine> out;
   for (const auto& line : lines) out[line.name] = line;
   return out;
}

std::string show(const std::vector<CheckLine>& lines) {
   std::string out;
   for (const auto& line : lines)
      out += "  [" + std::to_string(line.result) + "] " + line.name + ": " + line.message +
             (line.fix.empty() ? "" : " -> " + line.fix) + "\n";
   return out;
}

class Check : public DokployPluginTest {
 protected:
   EmulatorOptions emulator_options() const override {
      EmulatorOptions options;
      options.servers = {{"srv-remote", "remote-1", "127.0.0.2"}};
      return options;
   }
   std::vector<CheckLine> run(const std::map<std::string, std::string>& changes,
                              CallResult* result = nullptr) {
      auto options = this->options();
      for (const auto& [name, value] : changes) options[name] = value;
      FakeHost& host = *hosts_.emplace_back(std::make_unique<FakeHost>());
      BackendUnderTest backend(host, options);
      EXPECT_EQ(backend.made(), DPP_OK) << backend.made_message();
      std::vector<CheckLine> lines;
      const CallResult outcome = backend.check(lines);
      if (result) *result = outcome;
      std::printf("%s", show(lines).c_str());
      return lines;
   }
};

TEST_F(Check, HealthyServerPassesEveryLineInOrder) {
   CallResult result;
   const auto lines = run({}, &result);
   EXPECT_TRUE(result.ok()) << result.message;
   std::vector<std::string> names;
   for (const auto& line : lines) {
      names.push_back(line.name);
      EXPECT_TRUE(line.result == DPP_CHECK_PASS || line.result == DPP_CHECK_SKIP) << show(lines);
   }
   EXPECT_EQ(names,
             (std::vector<std::string>{"Dokploy reachable", "TLS", "API token", "Dokploy version", "project",
                                       "server", "service type", "SSH endpoint", "leftover volumes"}));
   DPP_EXPECT_CONTAINS(by_name(lines)["project"].message, "the first create makes it");
   DPP_EXPECT_CONTAINS(by_name(lines)["Dokploy version"].message, "v0.30.2");
}

TEST_F(Check, UnreachableServerSaysToCheckTheUrlAndSkipsTheRest) {
   CallResult result;
   const auto lines =
       run({{"DOKPLOY_SERVER_URL", "http://127.0.0.1:" + std::to_string(free_tcp_port())}}, &result);
   EXPECT_EQ(result.status, DPP_E_CONNECT);
   ASSERT_GE(lines.size(), 2u);
   EXPECT_EQ(lines[0].result, DPP_CHECK_FAIL);
   DPP_EXPECT_CONTAINS(lines[0].fix, "DOKPLOY_SERVER_URL");
   for (std::size_t i = 1; i < lines.size(); ++i) EXPECT_EQ(lines[i].result, DPP_CHECK_SKIP);
}

TEST_F(Check, UrlThatIsNotDokployIsNamed) {
   CallResult result;
   const auto lines = run({{"DOKPLOY_SERVER_URL", emulator().url() + "/api"}}, &result);
   EXPECT_NE(result.status, DPP_OK);
   EXPECT_EQ(lines[0].result, DPP_CHECK_FAIL);
   DPP_EXPECT_CONTAINS(lines[0].fix, "without /api");
}

TEST_F(Check, WrongTokenFailsTheTokenLineWithTheFix) {
   CallResult result;
   const auto lines = by_name(run({{"DOKPLOY_API_TOKEN", "nope"}}, &result));
   EXPECT_EQ(result.status, DPP_E_AUTH);
   EXPECT_EQ(lines.at("Dokploy reachable").result, DPP_CHECK_PASS);
   EXPECT_EQ(lines.at("API token").result, DPP_CHECK_FAIL);
   DPP_EXPECT_CONTAINS(lines.at("API token").fix, "DOKPLOY_API_TOKEN");
   DPP_EXPECT_CONTAINS(lines.at("API token").message, "expired");
}

TEST_F(Check, TooOldDokployFailsTheVersionLine) {
   emulator().set_version("v0.23.9");
   CallResult result;
   const auto lines = by_name(run({}, &result));
   EXPECT_EQ(result.status, DPP_E_VERSION);
   EXPECT_EQ(lines.at("API token").result, DPP_CHECK_PASS);
   EXPECT_EQ(lines.at("Dokploy version").result, DPP_CHECK_FAIL);
   DPP_EXPECT_CONTAINS(lines.at("Dokploy version").fix, "upgrade Dokploy");
}

TEST_F(Check, NewerDokployThanKnownIsUsedWithoutComplaint) {
   emulator().set_version("v0.31.4");
   CallResult result;
   const auto lines = by_name(run({}, &result));
   EXPECT_TRUE(result.ok()) << result.message;
   EXPECT_EQ(lines.at("Dokploy version").result, DPP_CHECK_PASS);
}

TEST_F(Check, ExistingProjectAndMissingEnvironmentAreReported) {
   emulator().api("project.create", {{"name", "devpod-workspaces"}});
   const auto lines = by_name(run({{"DOKPLOY_ENVIRONMENT_NAME", "dev"}}));
   DPP_EXPECT_CONTAINS(lines.at("project").message, "exists");
   DPP_EXPECT_CONTAINS(lines.at("project").message, "environment 'dev' does not exist yet");
}

TEST_F(Check, UnknownServerIdListsTheServersThatExist) {
   CallResult result;
   const auto lines = by_name(run({{"DOKPLOY_SERVER_ID", "no-such-server"}}, &result));
   EXPECT_EQ(result.status, DPP_E_CONFIG);
   EXPECT_EQ(lines.at("server").result, DPP_CHECK_FAIL);
   DPP_EXPECT_CONTAINS(lines.at("server").fix, "srv-remote (remote-1)");
}

TEST_F(Check, RemoteServerBecomesTheSshHost) {
   const auto lines = by_name(run({{"DOKPLOY_SERVER_ID", "srv-remote"}}));
   EXPECT_EQ(lines.at("server").result, DPP_CHECK_PASS);
   DPP_EXPECT_CONTAINS(lines.at("SSH endpoint").message, "127.0.0.2");

   TestSpec spec = host_like_spec("remote");
   FakeHost& host = host_for(spec);
   auto options = this->options();
   options["DOKPLOY_SERVER_ID"] = "srv-remote";
   BackendUnderTest backend(host, options);
   const CallResult made = backend.create(spec);
   ASSERT_TRUE(made.ok()) << made.message << "\n" << host.log_text();
   EXPECT_STREQ(made.info.ssh_host, "127.0.0.2");
   const auto ours = our_services(emulator());
   ASSERT_EQ(ours.size(), 1u);
   EXPECT_EQ(ours[0].value("serverId", ""), "srv-remote");
   host.set_state({});
   EXPECT_STREQ(backend.status(spec.machine_id).info.ssh_host, "127.0.0.2");
}

TEST_F(Check, SshHostOptionWinsOverTheServersAddress) {
   TestSpec spec = host_like_spec("ssh-host");
   FakeHost& host = host_for(spec);
   host.endpoint_check = [](const std::string&, uint16_t, const std::string&, std::string&) {
      return DPP_OK;
   };
   auto options = this->options();
   options["DOKPLOY_SERVER_ID"] = "srv-remote";
   options["DOKPLOY_SSH_HOST"] = "workspaces.example.com";
   BackendUnderTest backend(host, options);
   const CallResult made = backend.create(spec);
   ASSERT_TRUE(made.ok()) << made.message;
   EXPECT_STREQ(made.info.ssh_host, "workspaces.example.com");
   for (const auto& [asked_host, port] : host.endpoint_calls())
      EXPECT_EQ(asked_host, "workspaces.example.com");
}

TEST_F(Check, UrlPortIsNeverPartOfTheSshHost) {
   TestSpec spec = host_like_spec("no-port");
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, options());
   const CallResult made = backend.create(spec);
   ASSERT_TRUE(made.ok()) << made.message;
   EXPECT_EQ(std::string(made.info.ssh_host).find(':'), std::string::npos);
}

// Dokploy's application.delete leaves the named volumes to Docker: doctor names those of deleted
// workspaces (not those of a workspace that still exists) and how to remove them.
TEST_F(Check, VolumesThatOutlivedTheirWorkspaceAreListedWithTheCommandThatRemovesThem) {
   auto options = this->options();
   options["DOKPLOY_SERVICE_TYPE"] = "application";
   std::vector<std::string> app_names;
   for (const std::string machine : {"gone", "kept"}) {
      TestSpec spec = host_like_spec(machine);
      spec.flags = 0;  // Swarm cannot run privileged containers
      FakeHost& host = host_for(spec);
      BackendUnderTest backend(host, options);
      const CallResult made = backend.create(spec);
      ASSERT_TRUE(made.ok()) << made.message << "\n" << host.log_text();
      for (const auto& service : our_services(emulator()))
         if (service.value("name", "").starts_with("devpod-" + machine + " "))
            app_names.push_back(service.value("appName", ""));
      if (machine == "gone") {
         ASSERT_TRUE(backend.remove(spec.machine_id).ok());
      }
   }
   ASSERT_EQ(app_names.size(), 2u);
   const auto lines = by_name(run({}));
   const CheckLine& left = lines.at("leftover volumes");
   EXPECT_EQ(left.result, DPP_CHECK_WARN);
   const std::string home = app_names[0] + "_home", docker = app_names[0] + "_docker";
   EXPECT_EQ(left.message, "2 volume(s) of deleted workspaces remain on the server: " + docker + ", " + home);
   EXPECT_EQ(left.fix,
             "if their files are not needed, run on the server: docker volume rm " + docker + " " + home);
   EXPECT_EQ(left.message.find(app_names[1]), std::string::npos) << "a live workspace's volume is listed";
}

TEST_F(Check, NoLeftoverVolumeIsAPass) {
   EXPECT_EQ(by_name(run({})).at("leftover volumes").result, DPP_CHECK_PASS);
}

// Before the dockerVolume router, or with a key that may not read Docker (Dokploy's member role
// without the docker permission): the line says so and how to look on the server.
TEST_F(Check, VolumesThatCannotBeListedAreExplainedWithHowToFindThem) {
   emulator().set_version("v0.26.0");
   CheckLine line = by_name(run({})).at("leftover volumes");
   EXPECT_EQ(line.result, DPP_CHECK_SKIP);
   DPP_EXPECT_CONTAINS(line.message, "this Dokploy cannot list Docker volumes");
   DPP_EXPECT_CONTAINS(line.message, "docker volume ls --filter name=devpod-");

   emulator().set_version("v0.30.2");
   // What Dokploy's checkPermission throws: TRPCError UNAUTHORIZED "Permission denied".
   emulator().add_fault({{"procedure", "dockerVolume.getVolumes"}, {"action", {{"status", 401}}}});
   line = by_name(run({})).at("leftover volumes");
   EXPECT_EQ(line.result, DPP_CHECK_SKIP);
   DPP_EXPECT_CONTAINS(line.message, "this API key may not read Docker");
}

TEST_F(Check, ApplicationTypeWarnsThatDockerInsideWillNotWork) {
   const auto lines = by_name(run({{"DOKPLOY_SERVICE_TYPE", "application"}}));
   EXPECT_EQ(lines.at("service type").result, DPP_CHECK_WARN);
   DPP_EXPECT_CONTAINS(lines.at("service type").fix, "DOKPLOY_SERVICE_TYPE=compose");
}

}  // namespace
}  // namespace dpp::test::dokploy

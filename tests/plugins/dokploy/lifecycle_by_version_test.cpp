// The whole lifecycle of a workspace, for both service kinds and every Dokploy version the
// backend adapts to: status, create, create again, status, stop, start, delete.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "dokploy_fixture.hpp"
#include "support/child_process.hpp"

namespace dpp::test::dokploy {
namespace {

struct LifecycleCase {
   std::string version;
   std::string kind;  // compose | application
};

// How gtest shows a case (instead of its bytes).
void PrintTo(const LifecycleCase& c, std::ostream* out) {
   *out << c.kind << " on Dokploy " << c.version;
}

std::string case_name(const ::testing::TestParamInfo<LifecycleCase>& info) {
   std::string name = info.param.kind + "_" + info.param.version;
   for (char& c : name)
      if (c == '.') c = '_';
   return name;
}

class Lifecycle : public DokployPluginTest, public ::testing::WithParamInterface<LifecycleCase> {
 protected:
   EmulatorOptions emulator_options() const override {
      EmulatorOptions options;
      options.version = GetParam().version;
      return options;
   }
};

// Runs a step and prints what it cost (never asserted: timing is not a test).
template <typename Step>
std::map<std::string, int> measured(Emulator& emulator, const std::string& label, Step&& step) {
   emulator.clear_requests();
   const auto started = std::chrono::steady_clock::now();
   step();
   const double ms =
       std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
   const auto counts = request_counts(emulator);
   std::printf("  %-22s %6.1f ms, %d requests: %s\n", label.c_str(), ms, total(counts),
               describe_counts(counts).c_str());
   return counts;
}

std::map<std::string, std::string> env_map(const nlohmann::json& spec) {
   std::map<std::string, std::string> env;
   for (const auto& pair : spec.value("env", nlohmann::json::array()))
      env[pair[0].get<std::string>()] = pair[1].get<std::string>();
   return env;
}

std::vector<std::string> strings(const nlohmann::json& value) {
   std::vector<std::string> out;
   if (value.is_array())
      for (const auto& item : value) out.push_back(item.get<std::string>());
   return out;
}

// What `sh -c <line>` would run, for a line of the form "exec 'a' 'b' …": printf the words.
std::vector<std::string> words_of_shell_line(const std::string& line) {
   EXPECT_EQ(line.rfind("exec ", 0), 0u) << line.substr(0, 80);
   ProcessResult result = run_process({.argv = {"/bin/sh", "-c", "printf '%s\\0' " + line.substr(5)}});
   EXPECT_EQ(result.exit_code, 0) << result.err;
   std::vector<std::string> words;
   std::string current;
   for (char c : result.out) {
      if (c == '\0') {
         words.push_back(current);
         current.clear();
      } else {
         current += c;
      }
   }
   return words;
}

TEST_P(Lifecycle, WorkspaceGoesThroughEveryVerbAndLeavesNothingBehind) {
   const bool compose = GetParam().kind == "compose";
   const bool command_args = GetParam().version >= "v0.26";
   TestSpec spec = host_like_spec("life-" + GetParam().kind.substr(0, 3));
   // Shell metacharacters, quotes and line breaks must arrive as they are.
   spec.env.emplace_back("DPP_TEST_TRICKY",
                         "it's \"quoted\" $HOME ${USER:-x} $$ ; | & #hash\nsecond line\ttab \\n end");
   if (!compose) spec.flags = 0;  // Swarm cannot run privileged containers
   FakeHost& host = host_for(spec);
   auto options = this->options();
   options["DOKPLOY_SERVICE_TYPE"] = GetParam().kind;
   BackendUnderTest backend(host, options);
   ASSERT_EQ(backend.made(), DPP_OK) << backend.made_message();
   std::printf("Dokploy %s, %s:\n", GetParam().version.c_str(), GetParam().kind.c_str());

   CallResult result;
   auto counts = measured(emulator(), "status (none yet)", [&] { result = backend.status(spec.machine_id); });
   ASSERT_TRUE(result.ok()) << result.message;
   EXPECT_EQ(result.info.state, DPP_WORKSPACE_NOT_FOUND);
   EXPECT_EQ(total(counts), 1);

   counts = measured(emulator(), "create", [&] { result = backend.create(spec); });
   ASSERT_TRUE(result.ok()) << result.message << "\n" << host.log_text();
   EXPECT_EQ(result.info.state, DPP_WORKSPACE_RUNNING);
   EXPECT_STREQ(result.info.ssh_host, "127.0.0.1");
   EXPECT_GE(result.info.ssh_port, 2222);
   EXPECT_LE(result.info.ssh_port, 2299);
   const uint16_t port = result.info.ssh_port;
   const std::string create_kind = compose ? "compose.create" : "application.create";
   EXPECT_EQ(counts[create_kind], 1);
   // One look at the projects; a second only because this create made the project (it checks
   // that no concurrent create made it too).
   EXPECT_EQ(counts["project.all"], 2);
   EXPECT_EQ(counts["project.create"], 1);
   EXPECT_EQ(counts["settings.getDokployVersion"], 1);

   const auto services = our_services(emulator());
   ASSERT_EQ(services.size(), 1u);
   EXPECT_EQ(services[0].value("name", ""),
             "devpod-" + spec.machine_id + " (ssh " + std::to_string(port) + ")");
   const std::string app_name = services[0].value("appName", "");
   const nlohmann::json workspace = workspace_of(emulator(), app_name);
   ASSERT_FALSE(workspace.is_null()) << emulator().workspaces().dump(2);
   EXPECT_EQ(workspace.value("state", ""), "running");
   const nlohmann::json& run = workspace["spec"];
   EXPECT_EQ(run.value("image", ""), spec.image);
   EXPECT_EQ(run.value("privileged", false), compose);
   ASSERT_EQ(run["ports"].size(), 1u);
   EXPECT_EQ(run["ports"][0].value("published", 0), port);
   EXPECT_EQ(run["ports"][0].value("target", 0), 2222);
   // The environment as the workspace's process sees it, after Compose's interpolation or
   // Dokploy's dotenv parsing.
   const auto env = env_map(run);
   for (const auto& [name, value] : spec.env) {
      ASSERT_TRUE(env.count(name)) << name;
      EXPECT_EQ(env.at(name), value) << name;
   }
   // The command the workspace runs is the spec's argv, whatever the version's command rules.
   std::vector<std::string> argv = strings(run["entrypoint"]);
   for (const auto& part : strings(run["command"])) argv.push_back(part);
   if (compose || command_args) {
      EXPECT_EQ(argv, spec.command);
   } else {
      ASSERT_EQ(argv.size(), 3u);
      EXPECT_EQ(argv[0], "/bin/sh");
      EXPECT_EQ(argv[1], "-c");
      EXPECT_EQ(words_of_shell_line(argv[2]), spec.command);
   }
   std::vector<std::string> volumes;
   for (const auto& volume : run["volumes"])
      volumes.push_back(volume.value("source", "") + ":" + volume.value("target", ""));
   const std::string scope = compose ? app_name : app_name;
   EXPECT_EQ(volumes,
             (std::vector<std::string>{scope + "_home:/home/devpod", scope + "_docker:/var/lib/docker"}));
   EXPECT_EQ(run.value("memory_limit_bytes", 0ull), spec.memory_limit_bytes);
   EXPECT_EQ(run.value("nano_cpus", 0ull), spec.cpu_limit_millis * 1'000'000);

   counts = measured(emulator(), "create (again)", [&] { result = backend.create(spec); });
   ASSERT_TRUE(result.ok()) << result.message;
   EXPECT_EQ(result.info.ssh_port, port);
   EXPECT_EQ(total(counts, {"settings.getDokployVersion"}), 1)
       << "an unchanged running workspace needs one read";
   EXPECT_EQ(our_services(emulator()).size(), 1u);

   counts = measured(emulator(), "status", [&] { result = backend.status(spec.machine_id); });
   ASSERT_TRUE(result.ok()) << result.message;
   EXPECT_EQ(result.info.state, DPP_WORKSPACE_RUNNING);
   EXPECT_EQ(result.info.ssh_port, port);
   EXPECT_STREQ(result.info.ssh_host, "127.0.0.1");
   EXPECT_EQ(total(counts), 1);

   counts = measured(emulator(), "stop", [&] { result = backend.stop(spec.machine_id); });
   ASSERT_TRUE(result.ok()) << result.message;
   EXPECT_LE(total(counts), 2);
   EXPECT_EQ(backend.status(spec.machine_id).info.state, DPP_WORKSPACE_STOPPED);
   EXPECT_EQ(workspace_of(emulator(), app_name).value("state", ""), "exited");

   counts = measured(emulator(), "stop (again)", [&] { result = backend.stop(spec.machine_id); });
   ASSERT_TRUE(result.ok()) << result.message;
   EXPECT_LE(total(counts), 2);

   counts = measured(emulator(), "start", [&] { result = backend.start(spec); });
   ASSERT_TRUE(result.ok()) << result.message << "\n" << host.log_text();
   EXPECT_EQ(result.info.state, DPP_WORKSPACE_RUNNING);
   EXPECT_EQ(result.info.ssh_port, port);
   EXPECT_LE(total(counts), 2);
   EXPECT_EQ(backend.status(spec.machine_id).info.state, DPP_WORKSPACE_RUNNING);

   counts = measured(emulator(), "start (again)", [&] { result = backend.start(spec); });
   ASSERT_TRUE(result.ok()) << result.message;
   EXPECT_EQ(total(counts), 1);

   // The host names the plugin before each of its lines: the plugin does not name itself.
   ASSERT_FALSE(host.logs().empty());
   for (const LogLine& line : host.logs()) EXPECT_FALSE(line.text.starts_with("dokploy:")) << line.text;

   host.clear_logs();
   counts = measured(emulator(), "delete", [&] { result = backend.remove(spec.machine_id); });
   ASSERT_TRUE(result.ok()) << result.message;
   EXPECT_EQ(total(counts), 1);
   if (compose) {
      const auto deletes = emulator().api_requests("compose.delete");
      ASSERT_EQ(deletes.size(), 1u);
      EXPECT_EQ(deletes[0]["body"].value("deleteVolumes", false), true);
   }
   // One line says what went and what stays: Docker Compose removes the project's volumes;
   // an application's stay on the server (Dokploy's application.delete is `docker service rm`).
   const std::string service = "devpod-" + spec.machine_id + " (ssh " + std::to_string(port) + ")";
   const std::string home = app_name + "_home", docker = app_name + "_docker";
   std::vector<LogLine> said;
   for (const LogLine& line : host.logs())
      if (line.level >= DPP_LOG_INFO) said.push_back(line);
   ASSERT_EQ(said.size(), 1u) << host.log_text();
   if (compose) {
      EXPECT_EQ(emulator().volumes(), nlohmann::json::array());
      EXPECT_EQ(said[0].level, DPP_LOG_INFO);
      EXPECT_EQ(said[0].text, "deleted " + service + " and its volumes " + home + ", " + docker);
   } else {
      EXPECT_EQ(emulator().volumes(), nlohmann::json::array({docker, home}));
      EXPECT_EQ(said[0].level, DPP_LOG_WARN);
      EXPECT_EQ(said[0].text, "deleted " + service + ", but not its volumes " + home + ", " + docker +
                                  ": Dokploy leaves an application's named volumes to Docker; on the "
                                  "server, `docker volume rm " +
                                  home + " " + docker + "`");
   }
   EXPECT_TRUE(our_services(emulator()).empty());
   EXPECT_TRUE(host.state().empty()) << "the machine state still holds the service";
   EXPECT_EQ(backend.status(spec.machine_id).info.state, DPP_WORKSPACE_NOT_FOUND);

   counts = measured(emulator(), "delete (again)", [&] { result = backend.remove(spec.machine_id); });
   EXPECT_TRUE(result.ok()) << result.message;

   // Nothing of the token anywhere: not in Dokploy's rows, not in a log line.
   EXPECT_EQ(emulator().state().dump().find(emulator().token()), std::string::npos);
   EXPECT_EQ(host.log_text().find(emulator().token()), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    DokployVersions, Lifecycle,
    ::testing::Values(LifecycleCase{"v0.24.3", "compose"}, LifecycleCase{"v0.24.3", "application"},
                      LifecycleCase{"v0.25.2", "compose"}, LifecycleCase{"v0.25.2", "application"},
                      LifecycleCase{"v0.25.7", "application"}, LifecycleCase{"v0.26.0", "application"},
                      LifecycleCase{"v0.30.2", "compose"}, LifecycleCase{"v0.30.2", "application"}),
    case_name);

}  // namespace
}  // namespace dpp::test::dokploy

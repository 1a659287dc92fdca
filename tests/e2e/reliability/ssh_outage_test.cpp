// The workspace's sshd killed, frozen, restarted, or moved to another port, around `status` and
// `command`: status says Busy (then Stopped after its bound), never NotFound and never crashes;
// a running command ends with exit 255 and a message; the next one works once sshd is back; a
// moved port is picked up by status, by command itself, by create and by start.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <thread>

#include "lane.hpp"
#include "leftovers.hpp"
#include "process_probe.hpp"
#include "requirements.hpp"
#include "support/sshd_server.hpp"
#include "support/test_paths.hpp"
#include "workspace_mover.hpp"

namespace dpp::test::reliability {
namespace {

using namespace std::chrono_literals;

std::string read_file(const std::string& path) {
   std::ifstream in(path, std::ios::binary);
   std::stringstream buffer;
   buffer << in.rdbuf();
   return buffer.str();
}

nlohmann::json state_json(const Machine& machine) {
   return nlohmann::json::parse(read_file(machine.folder + "/dokploy-provider-state.json"));
}

// Pretends the workspace has been silent since `ago`: the 3-minute bound of status without the wait.
void backdate_silence(const Machine& machine, std::chrono::milliseconds ago) {
   nlohmann::json state = state_json(machine);
   const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
       std::chrono::system_clock::now().time_since_epoch());
   state["unreachable_since_ms"] = (now - ago).count();
   const std::string path = machine.folder + "/dokploy-provider-state.json";
   std::ofstream(path + ".test") << state.dump(2);
   std::rename((path + ".test").c_str(), path.c_str());
}

int endpoint_port(const Machine& machine) {
   const nlohmann::json state = state_json(machine);
   return state.contains("endpoint") ? state["endpoint"].value("port", 0) : 0;
}

class SshOutage : public ::testing::Test {
 protected:
   void SetUp() override {
      const std::string missing = missing_requirement({.system_ssh = true});
      if (!missing.empty()) DPP_SKIP(missing);
      LaneOptions options;
      options.emulator.queue_delay_ms = 50;
      options.emulator.deploy_duration_ms = 50;
      // Keepalives every second: a frozen sshd is noticed in seconds, not the default minute.
      options.provider.extra["DOKPLOY_SSH_KEEPALIVE"] = "1s";
      lane_ = std::make_unique<Lane>(options);
   }
   void TearDown() override {
      if (!lane_) return;
      for (const auto& leak : lane_->provider().token_leaks()) ADD_FAILURE() << leak;
      std::vector<pid_t> left = lane_->provider().live_providers();
      for (pid_t pid : ssh_clients_for_ports(lane_->provider().port_low(), lane_->provider().port_high()))
         left.push_back(pid);
      EXPECT_TRUE(left.empty()) << "processes outlived their verb:" << describe_processes(left);
   }

   Machine create(const std::string& id, const RunOptions& options = {}) {
      const Machine machine = lane_->provider().new_machine(id);
      const ProcessResult created = lane_->provider().run("create", machine, options);
      EXPECT_EQ(created.exit_code, 0) << created.err;
      EXPECT_EQ(lane_->check_works(machine, options), "");
      return machine;
   }

   std::string status(const Machine& machine, const RunOptions& options = {}) {
      const ProcessResult result = lane_->provider().run("status", machine, options);
      EXPECT_EQ(result.exit_code, 0) << result.err;
      return trimmed(result.out);
   }

   std::unique_ptr<Lane> lane_;
};

TEST_F(SshOutage, StatusSaysBusyThenStoppedAndNeverNotFoundWhileSshdIsDown) {
   const Machine machine = create("out-status");
   WorkspaceStandIn& stand_in = *lane_->stand_in();
   for (const auto& [signal, what] : {std::pair{SIGKILL, "killed"}, std::pair{SIGSTOP, "frozen"}}) {
      std::printf("  sshd %s:\n", what);
      stand_in.suspend(machine.id, signal);
      for (int round = 0; round < 3; ++round)
         EXPECT_EQ(status(machine), "Busy") << what << " round " << round;
      backdate_silence(machine, 4min);
      EXPECT_EQ(status(machine), "Stopped") << "silent for longer than the bound: " << what;
      stand_in.resume(machine.id);
      ASSERT_TRUE(stand_in.wait_until_served(machine.id, true, 30s));
      EXPECT_EQ(status(machine), "Running") << "back after " << what;
      EXPECT_FALSE(state_json(machine).contains("unreachable_since_ms"))
          << "the silence is forgotten once it answers";
   }
   std::printf("  sshd restarted:\n");
   stand_in.restart(machine.id);
   EXPECT_EQ(status(machine), "Running");
   EXPECT_EQ(lane_->delete_and_check(machine), "");
}

class SshOutageCommand : public SshOutage, public ::testing::WithParamInterface<std::string> {};

// A command that prints "started", then waits: what an IDE's long session looks like.
RunningVerb start_long_command(ProviderHarness& provider, const Machine& machine, const RunOptions& options) {
   RunOptions run = options;
   run.command = "echo started; exec sleep 600";
   RunningVerb running = provider.start("command", machine, run);
   const auto deadline = std::chrono::steady_clock::now() + 30s;
   while (running.read_out().find("started") == std::string::npos &&
          std::chrono::steady_clock::now() < deadline && running.process->alive())
      std::this_thread::sleep_for(20ms);
   return running;
}

TEST_P(SshOutageCommand, RunningCommandEndsWith255AndTheNextRunsOnceSshdIsBack) {
   RunOptions options;
   options.overrides["DOKPLOY_SSH_TRANSPORT"] = GetParam();
   const Machine machine = create("out-cmd-" + GetParam().substr(0, 3), options);
   WorkspaceStandIn& stand_in = *lane_->stand_in();
   ProviderHarness& provider = lane_->provider();
   struct Outage {
      const char* name;
      std::function<void()> begin;
      std::function<void()> end;
   };
   const std::vector<Outage> outages = {
       {"sshd killed", [&] { stand_in.suspend(machine.id, SIGKILL); }, [&] { stand_in.resume(machine.id); }},
       {"sshd frozen", [&] { stand_in.suspend(machine.id, SIGSTOP); }, [&] { stand_in.resume(machine.id); }},
       {"sshd restarted", [&] { stand_in.restart(machine.id); }, [] {}},
   };
   for (const auto& outage : outages) {
      RunningVerb running = start_long_command(provider, machine, options);
      ASSERT_NE(running.read_out().find("started"), std::string::npos) << running.read_err();
      const auto began = std::chrono::steady_clock::now();
      outage.begin();
      // Hang guard only: a dead session must end the command, whatever the bound.
      const std::optional<int> ended = running.process->wait_for(120s);
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
      const std::string message = trimmed(tail_lines(running.read_err(), 1));
      std::printf("  %s (%s): the running command ended with exit %d after %.2f s: %s\n", outage.name,
                  GetParam().c_str(), ended.value_or(-1), seconds, message.c_str());
      ASSERT_TRUE(ended.has_value()) << outage.name << ": the command kept running on a dead session";
      EXPECT_EQ(*ended, 255) << outage.name << ": " << running.read_err();
      EXPECT_FALSE(message.empty()) << outage.name << ": exit 255 without a message";

      if (std::string(outage.name) != "sshd restarted") {
         RunOptions down = options;
         down.overrides["DOKPLOY_SSH_CONNECT_TIMEOUT"] = "3s";
         down.command = "true";
         const ProcessResult refused = provider.run("command", machine, down);
         std::printf("  %s (%s): a new command while down: exit %d: %s\n", outage.name, GetParam().c_str(),
                     refused.exit_code, trimmed(tail_lines(refused.err, 1)).c_str());
         EXPECT_EQ(refused.exit_code, 255) << refused.err;
         EXPECT_FALSE(trimmed(refused.err).empty());
         outage.end();
         ASSERT_TRUE(stand_in.wait_until_served(machine.id, true, 30s));
      }
      RunOptions again = options;
      again.command = "echo back";
      const ProcessResult back = provider.run("command", machine, again);
      EXPECT_EQ(back.exit_code, 0) << outage.name << ": " << back.err;
      EXPECT_EQ(back.out, "back\n") << outage.name;
   }
   EXPECT_EQ(lane_->delete_and_check(machine, options), "");
}

INSTANTIATE_TEST_SUITE_P(Transports, SshOutageCommand, ::testing::Values("libssh2", "system"));

class MovedPort : public SshOutage, public ::testing::WithParamInterface<std::string> {};

TEST_P(MovedPort, IsPickedUpByStatusByCommandByCreateAndByStart) {
   RunOptions options;
   options.overrides["DOKPLOY_SERVICE_TYPE"] = GetParam();
   // A refused old port costs command its connect timeout before it asks Dokploy: keep it short.
   options.overrides["DOKPLOY_SSH_CONNECT_TIMEOUT"] = "3s";
   const Machine machine = create("moved-" + GetParam().substr(0, 3), options);
   ProviderHarness& provider = lane_->provider();
   WorkspaceStandIn& stand_in = *lane_->stand_in();
   int port = endpoint_port(machine);
   ASSERT_NE(port, 0);
   auto move = [&](const char* how) {
      const int old_port = port;
      port = provider.port_low() + (port - provider.port_low() + 7) % 100;
      std::printf("  moving the workspace from port %d to %d, then %s\n", old_port, port, how);
      move_workspace(lane_->emulator(), machine.id, port);
      const auto deadline = std::chrono::steady_clock::now() + 30s;
      while (stand_in.port_of(machine.id).value_or(0) != port && std::chrono::steady_clock::now() < deadline)
         std::this_thread::sleep_for(20ms);
      if (stand_in.port_of(machine.id).value_or(0) != port)
         throw std::runtime_error("the workspace's sshd did not come up on port " + std::to_string(port));
      return old_port;
   };
   RunOptions command = options;
   command.command = "echo reached";

   move("status");
   EXPECT_EQ(status(machine, options), "Running");
   EXPECT_EQ(endpoint_port(machine), port) << "status saw the new port but did not remember it";
   ProcessResult ran = provider.run("command", machine, command);
   EXPECT_EQ(ran.exit_code, 0) << ran.err;
   EXPECT_EQ(ran.out, "reached\n");

   move("command (no status first)");
   ran = provider.run("command", machine, command);
   EXPECT_EQ(ran.exit_code, 0) << ran.err;
   EXPECT_EQ(ran.out, "reached\n");
   EXPECT_EQ(endpoint_port(machine), port);

   // The old port now answers for someone else: the pinned host key refuses it, and command
   // still finds its own workspace.
   const int old_port = move("command, with another sshd on the old port");
   SshdOptions foreign_options;
   foreign_options.port = old_port;
   foreign_options.user = "stranger";
   SshdServer foreign(foreign_options);
   ran = provider.run("command", machine, command);
   EXPECT_EQ(ran.exit_code, 0) << ran.err;
   EXPECT_EQ(ran.out, "reached\n");
   EXPECT_EQ(foreign.log().find("Accepted"), std::string::npos) << "logged in to the foreign sshd";
   foreign.stop();

   move("create");
   const ProcessResult created = provider.run("create", machine, options);
   EXPECT_EQ(created.exit_code, 0) << created.err;
   EXPECT_NE(created.out.find("DEVPOD_MACHINE_PORT=" + std::to_string(port) + "\n"), std::string::npos)
       << created.out;
   EXPECT_EQ(lane_->check_works(machine, options), "");

   move("start");
   const ProcessResult started = provider.run("start", machine, options);
   EXPECT_EQ(started.exit_code, 0) << started.err;
   EXPECT_EQ(endpoint_port(machine), port);
   EXPECT_EQ(lane_->check_works(machine, options), "");

   EXPECT_EQ(services_of(lane_->emulator(), machine.id).size(), 1u);
   EXPECT_EQ(lane_->delete_and_check(machine, options), "");
}

INSTANTIATE_TEST_SUITE_P(Kinds, MovedPort, ::testing::Values("compose", "application"));

}  // namespace
}  // namespace dpp::test::reliability

// SSH port allocation: distinct ports for concurrent creates, ports held by others avoided
// (found by a failed deploy or by another host key answering), an exhausted range refused.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "dokploy_fixture.hpp"

namespace dpp::test::dokploy {
namespace {

class Ports : public DokployPluginTest {};

TEST_F(Ports, TenConcurrentCreatesEndWithTenDistinctPorts) {
   constexpr int kMachines = 10;
   std::vector<TestSpec> specs;
   for (int i = 0; i < kMachines; ++i) specs.push_back(host_like_spec("conc-" + std::to_string(i)));
   std::vector<FakeHost*> hosts;
   for (const auto& spec : specs) hosts.push_back(&host_for(spec));
   auto options = this->options();
   // Ten ports for ten machines: hash collisions are certain and must be resolved.
   options["DOKPLOY_SSH_PORT_RANGE"] = "2300-2309";
   std::vector<CallResult> results(kMachines);
   std::vector<std::thread> threads;
   const auto started = std::chrono::steady_clock::now();
   for (int i = 0; i < kMachines; ++i)
      threads.emplace_back([&, i] {
         BackendUnderTest backend(*hosts[i], options);
         results[i] = backend.create(specs[i]);
      });
   for (auto& thread : threads) thread.join();
   std::printf("10 concurrent creates took %.2f s\n",
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
   std::set<uint16_t> ports;
   for (int i = 0; i < kMachines; ++i) {
      ASSERT_TRUE(results[i].ok()) << specs[i].machine_id << ": " << results[i].message << "\n"
                                   << hosts[i]->log_text();
      EXPECT_EQ(results[i].info.state, DPP_WORKSPACE_RUNNING);
      ports.insert(results[i].info.ssh_port);
   }
   EXPECT_EQ(ports.size(), static_cast<std::size_t>(kMachines));
   EXPECT_EQ(our_services(emulator()).size(), static_cast<std::size_t>(kMachines));
   // Concurrent first creates agree on one project.
   const nlohmann::json state = emulator().state();
   int projects = 0;
   for (const auto& project : state["projects"]) projects += project.value("name", "") == "devpod-workspaces";
   EXPECT_EQ(projects, 1);
   // Each service's name tells the port it really publishes.
   for (const auto& service : our_services(emulator())) {
      const nlohmann::json workspace = workspace_of(emulator(), service.value("appName", ""));
      ASSERT_FALSE(workspace.is_null());
      const std::string name = service.value("name", "");
      EXPECT_EQ(name.substr(name.find("(ssh ") + 5, 4),
                std::to_string(workspace["spec"]["ports"][0].value("published", 0)));
   }
}

// The backend's start port: FNV-1a of the machine id, modulo the range (port_allocator.cpp).
uint32_t start_offset(const std::string& machine_id, uint32_t range) {
   uint32_t hash = 2166136261u;
   for (char c : machine_id) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
   return hash % range;
}

TEST_F(Ports, TwoCreatesPickingThePortAtOnceAreSortedOutAtDeploy) {
   // Two machines that hash to the same port, and creates slow enough that neither sees the
   // other's service before choosing: the second deploy finds the port allocated and moves.
   std::string first = "twin-a", second;
   for (int i = 0; second.empty(); ++i)
      if (start_offset("twin-b" + std::to_string(i), 2) == start_offset(first, 2))
         second = "twin-b" + std::to_string(i);
   emulator().add_fault(
       {{"procedure", "compose.create"}, {"match", "always"}, {"action", {{"delay_ms", 400}}}});
   auto options = this->options();
   options["DOKPLOY_SSH_PORT_RANGE"] = "2600-2601";
   emulator().api("project.create", {{"name", "devpod-workspaces"}});
   std::vector<TestSpec> specs = {host_like_spec(first), host_like_spec(second)};
   std::vector<FakeHost*> hosts = {&host_for(specs[0]), &host_for(specs[1])};
   std::vector<CallResult> results(2);
   std::vector<std::thread> threads;
   for (int i = 0; i < 2; ++i)
      threads.emplace_back([&, i] {
         BackendUnderTest backend(*hosts[i], options);
         results[i] = backend.create(specs[i]);
      });
   for (auto& thread : threads) thread.join();
   ASSERT_TRUE(results[0].ok()) << results[0].message << "\n" << hosts[0]->log_text();
   ASSERT_TRUE(results[1].ok()) << results[1].message << "\n" << hosts[1]->log_text();
   EXPECT_NE(results[0].info.ssh_port, results[1].info.ssh_port);
   DPP_EXPECT_CONTAINS(hosts[0]->log_text() + hosts[1]->log_text(), "port is already allocated");
}

TEST_F(Ports, PortHeldByAServiceOutsideOurProjectIsAvoided) {
   TestSpec spec = host_like_spec("crowded");
   FakeHost& host = host_for(spec);
   auto options = this->options();
   options["DOKPLOY_SSH_PORT_RANGE"] = "2400-2401";
   uint16_t first = 0;
   {
      BackendUnderTest backend(host, options);
      const CallResult result = backend.create(spec);
      ASSERT_TRUE(result.ok()) << result.message;
      first = result.info.ssh_port;
      ASSERT_TRUE(backend.remove(spec.machine_id).ok());
   }
   // Someone else's compose service now publishes the port this machine hashes to.
   const nlohmann::json seeded = emulator().seed(2, "someone-else");
   const std::string other = seeded["compose"].empty() ? "" : seeded["compose"][0].get<std::string>();
   ASSERT_FALSE(other.empty()) << seeded.dump();
   emulator().api("compose.update",
                  {{"composeId", other},
                   {"sourceType", "raw"},
                   {"composeFile", "services:\n  web:\n    image: nginx\n    ports:\n      - \"" +
                                       std::to_string(first) + ":80\"\n"}});
   emulator().api("compose.deploy", {{"composeId", other}});
   for (int i = 0;
        i < 100 &&
        workspace_of(emulator(),
                     emulator().api("compose.one", nullptr, "composeId=" + other).value("appName", ""))
            .is_null();
        ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));

   BackendUnderTest backend(host, options);
   const CallResult result = backend.create(spec);
   ASSERT_TRUE(result.ok()) << result.message << "\n" << host.log_text();
   EXPECT_NE(result.info.ssh_port, first);
   DPP_EXPECT_CONTAINS(host.log_text(), "moving crowded to another port");
   const auto ours = our_services(emulator());
   ASSERT_EQ(ours.size(), 1u);
   EXPECT_EQ(ours[0].value("name", ""), "devpod-crowded (ssh " + std::to_string(result.info.ssh_port) + ")");
   EXPECT_EQ(backend.status(spec.machine_id).info.ssh_port, result.info.ssh_port);
}

TEST_F(Ports, PortAnsweringWithAnotherHostKeyIsAvoided) {
   TestSpec spec = host_like_spec("impostor");
   FakeHost& host = host_for(spec);
   // The first port asked about answers with some other SSH server's key.
   auto real = host.endpoint_check;
   auto impostor_port = std::make_shared<uint16_t>(0);
   host.endpoint_check = [real, impostor_port](const std::string& h, uint16_t port, const std::string& key,
                                               std::string& message) -> dpp_status {
      if (*impostor_port == 0) *impostor_port = port;
      if (port == *impostor_port) {
         message = "host key mismatch: ssh-ed25519 AAAA… is not the pinned key";
         return DPP_E_HOST_KEY_MISMATCH;
      }
      return real(h, port, key, message);
   };
   BackendUnderTest backend(host, options());
   const CallResult result = backend.create(spec);
   ASSERT_TRUE(result.ok()) << result.message << "\n" << host.log_text();
   EXPECT_NE(result.info.ssh_port, *impostor_port);
   const auto ours = our_services(emulator());
   ASSERT_EQ(ours.size(), 1u);
   EXPECT_EQ(ours[0].value("name", ""), "devpod-impostor (ssh " + std::to_string(result.info.ssh_port) + ")");
   const nlohmann::json workspace = workspace_of(emulator(), ours[0].value("appName", ""));
   EXPECT_EQ(workspace["spec"]["ports"][0].value("published", 0), result.info.ssh_port);
   EXPECT_EQ(emulator().api_requests("compose.deploy").size(), 2u);
}

TEST_F(Ports, ExhaustedRangeIsAConflictThatNamesTheOption) {
   auto options = this->options();
   options["DOKPLOY_SSH_PORT_RANGE"] = "2500-2500";
   TestSpec first = host_like_spec("only-one");
   FakeHost& first_host = host_for(first);
   BackendUnderTest first_backend(first_host, options);
   ASSERT_TRUE(first_backend.create(first).ok());

   TestSpec second = host_like_spec("one-too-many");
   FakeHost& second_host = host_for(second);
   BackendUnderTest second_backend(second_host, options);
   const CallResult result = second_backend.create(second);
   EXPECT_EQ(result.status, DPP_E_CONFLICT);
   DPP_EXPECT_CONTAINS(result.message, "DOKPLOY_SSH_PORT_RANGE=2500-2500");
   EXPECT_EQ(our_services(emulator()).size(), 1u);
}

}  // namespace
}  // namespace dpp::test::dokploy

// Dokploy failing in every way a network service fails: each gives the documented message, the
// retries that can converge do, and a failed create leaves no service behind.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "dokploy_fixture.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::dokploy {
namespace {

class Failures : public DokployPluginTest {
 protected:
   CallResult create_with(const std::map<std::string, std::string>& changes, TestSpec spec) {
      FakeHost& host = host_for(spec);
      auto options = this->options();
      for (const auto& [name, value] : changes) options[name] = value;
      BackendUnderTest backend(host, options);
      EXPECT_EQ(backend.made(), DPP_OK) << backend.made_message();
      CallResult result = backend.create(spec);
      last_log_ = host.log_text();
      return result;
   }
   std::string last_log_;
};

TEST_F(Failures, WrongTokenIsRefusedWithEveryPossibleCause) {
   const CallResult result = create_with({{"DOKPLOY_API_TOKEN", "not-the-token"}}, host_like_spec("auth"));
   EXPECT_EQ(result.status, DPP_E_AUTH);
   DPP_EXPECT_CONTAINS(result.message, "HTTP 401");
   DPP_EXPECT_CONTAINS(result.message, "settings.getDokployVersion");
   for (const char* cause : {"wrong", "organization", "expired", "proxy"})
      DPP_EXPECT_CONTAINS(result.message, cause);
   EXPECT_EQ(result.message.find("not-the-token"), std::string::npos);
   EXPECT_TRUE(our_services(emulator()).empty());
}

TEST_F(Failures, OneServerErrorOnCreateIsRetriedAndMakesOneService) {
   emulator().add_fault({{"procedure", "compose.create"}, {"nth", 1}, {"action", {{"status", 500}}}});
   const CallResult result = create_with({}, host_like_spec("retry500"));
   ASSERT_TRUE(result.ok()) << result.message;
   EXPECT_EQ(our_services(emulator()).size(), 1u);
   EXPECT_EQ(emulator().api_requests("compose.create").size(), 2u);
}

TEST_F(Failures, PersistentServerErrorNamesTheProcedureAndLeavesNothing) {
   emulator().add_fault(
       {{"procedure", "compose.deploy"}, {"match", "always"}, {"action", {{"status", 500}}}});
   const CallResult result = create_with({}, host_like_spec("always500"));
   EXPECT_EQ(result.status, DPP_E_REMOTE);
   DPP_EXPECT_CONTAINS(result.message, "compose.deploy failed with HTTP 500");
   DPP_EXPECT_CONTAINS(result.message, "Injected fault");
   DPP_EXPECT_CONTAINS(result.message, "attempts");
   EXPECT_TRUE(our_services(emulator()).empty());
}

TEST_F(Failures, FailedDeployShowsDokploysErrorAndRemovesTheService) {
   emulator().add_fault({{"procedure", "compose.deploy"},
                         {"nth", 1},
                         {"action", {{"deploy_error", "pull access denied for nosuch/image"}}}});
   const CallResult result = create_with({}, host_like_spec("deployfail"));
   EXPECT_EQ(result.status, DPP_E_REMOTE);
   DPP_EXPECT_CONTAINS(result.message, "pull access denied for nosuch/image");
   EXPECT_TRUE(our_services(emulator()).empty());
}

TEST_F(Failures, KeepFailedLeavesTheFailedServiceForInspection) {
   emulator().add_fault(
       {{"procedure", "compose.deploy"}, {"nth", 1}, {"action", {{"deploy_error", "exec format error"}}}});
   TestSpec spec = host_like_spec("keepfailed");
   spec.flags |= DPP_WORKSPACE_KEEP_FAILED;
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, options());
   const CallResult result = backend.create(spec);
   EXPECT_EQ(result.status, DPP_E_REMOTE);
   DPP_EXPECT_CONTAINS(result.message, "exec format error");
   EXPECT_EQ(our_services(emulator()).size(), 1u);
   const CallResult status = backend.status(spec.machine_id);
   EXPECT_EQ(status.info.state, DPP_WORKSPACE_FAILED) << "a failed deploy is FAILED, never NOT_FOUND";
   DPP_EXPECT_CONTAINS(std::string(status.info.detail), "is error");
   EXPECT_TRUE(backend.remove(spec.machine_id).ok());
   EXPECT_TRUE(our_services(emulator()).empty());
}

TEST_F(Failures, WrongServerPathIsANotFoundNamingTheProcedure) {
   const CallResult result =
       create_with({{"DOKPLOY_SERVER_URL", emulator().url() + "/nope"}}, host_like_spec("path404"));
   EXPECT_EQ(result.status, DPP_E_NOT_FOUND);
   DPP_EXPECT_CONTAINS(result.message, "settings.getDokployVersion failed with HTTP 404");
   EXPECT_TRUE(our_services(emulator()).empty());
}

TEST_F(Failures, ServiceVanishingDuringTheDeployIsNotFound) {
   emulator().add_fault({{"procedure", "compose.one"}, {"match", "always"}, {"action", {{"status", 404}}}});
   const CallResult result = create_with({}, host_like_spec("vanish"));
   EXPECT_EQ(result.status, DPP_E_NOT_FOUND);
   DPP_EXPECT_CONTAINS(result.message, "disappeared");
   EXPECT_TRUE(our_services(emulator()).empty());
}

TEST_F(Failures, SlowAnswersTimeOutNamingTheProcedureAndLeaveNothing) {
   emulator().add_fault(
       {{"procedure", "compose.deploy"}, {"match", "always"}, {"action", {{"delay_ms", 1200}}}});
   const auto started = std::chrono::steady_clock::now();
   const CallResult result =
       create_with({{"DOKPLOY_HTTP_TIMEOUT", "300"}, {"DOKPLOY_HTTP_RETRIES", "1"}}, host_like_spec("slow"));
   std::printf("gave up after %.1f s\n",
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
   EXPECT_EQ(result.status, DPP_E_TIMEOUT);
   DPP_EXPECT_CONTAINS(result.message, "did not answer compose.deploy within 0.3 s");
   // The delayed deploys land after the cleanup; they must find nothing to deploy.
   std::this_thread::sleep_for(std::chrono::milliseconds(2500));
   EXPECT_TRUE(our_services(emulator()).empty());
   EXPECT_TRUE(emulator().workspaces().empty()) << emulator().workspaces().dump();
}

TEST_F(Failures, DroppedConnectionOnCreateIsRetriedWithoutADuplicate) {
   emulator().add_fault({{"procedure", "compose.create"}, {"nth", 1}, {"action", {{"drop", true}}}});
   const CallResult result = create_with({}, host_like_spec("drop1"));
   ASSERT_TRUE(result.ok()) << result.message;
   EXPECT_EQ(our_services(emulator()).size(), 1u);
}

TEST_F(Failures, ConnectionsThatKeepDroppingFailWithTheProcedureNamed) {
   emulator().add_fault({{"procedure", "project.all"}, {"match", "always"}, {"action", {{"drop", true}}}});
   const CallResult result = create_with({{"DOKPLOY_HTTP_RETRIES", "2"}}, host_like_spec("dropall"));
   EXPECT_EQ(result.status, DPP_E_CONNECTION_LOST);
   DPP_EXPECT_CONTAINS(result.message, "project.all");
   EXPECT_TRUE(our_services(emulator()).empty());
}

TEST_F(Failures, MalformedAnswerIsAProtocolErrorNamingTheProcedure) {
   emulator().add_fault(
       {{"procedure", "project.all"}, {"match", "always"}, {"action", {{"malformed", true}}}});
   const CallResult result = create_with({}, host_like_spec("malformed"));
   EXPECT_EQ(result.status, DPP_E_PROTOCOL);
   DPP_EXPECT_CONTAINS(result.message, "project.all");
   DPP_EXPECT_CONTAINS(result.message, "not valid JSON");
   EXPECT_TRUE(our_services(emulator()).empty());
}

TEST_F(Failures, RateLimitIsWaitedOutAsRetryAfterSays) {
   emulator().add_fault(
       {{"procedure", "compose.create"}, {"nth", 1}, {"action", {{"status", 429}, {"retry_after", 1}}}});
   const auto started = std::chrono::steady_clock::now();
   const CallResult result = create_with({}, host_like_spec("ratelimit"));
   std::printf("create with one 429 (Retry-After: 1) took %.2f s\n",
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
   ASSERT_TRUE(result.ok()) << result.message;
   const auto creates = emulator().api_requests("compose.create");
   EXPECT_EQ(creates.size(), 2u);
   EXPECT_EQ(our_services(emulator()).size(), 1u);
}

TEST_F(Failures, UnreachableServerIsAConnectError) {
   const int port = free_tcp_port();
   const CallResult result = create_with(
       {{"DOKPLOY_SERVER_URL", "http://127.0.0.1:" + std::to_string(port)}, {"DOKPLOY_HTTP_RETRIES", "1"}},
       host_like_spec("unreach"));
   EXPECT_EQ(result.status, DPP_E_CONNECT);
   DPP_EXPECT_CONTAINS(result.message, "connection refused");
}

TEST_F(Failures, DokployOlderThanSupportedIsRefusedClearly) {
   emulator().set_version("v0.23.5");
   const CallResult result = create_with({}, host_like_spec("oldversion"));
   EXPECT_EQ(result.status, DPP_E_VERSION);
   DPP_EXPECT_CONTAINS(result.message, "v0.23.5 is older than v0.24.0");
   EXPECT_TRUE(our_services(emulator()).empty());
}

TEST_F(Failures, CancellationDuringCreateRemovesWhatItMade) {
   TestSpec spec = host_like_spec("cancelled");
   FakeHost& host = host_for(spec);
   // SSH never answers, so create waits until the user gives up.
   host.endpoint_check = [](const std::string&, uint16_t, const std::string&, std::string& message) {
      message = "connection refused";
      return DPP_E_CONNECT;
   };
   BackendUnderTest backend(host, options());
   std::thread user([&] {
      while (our_services(emulator()).empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      host.cancel();
   });
   const auto started = std::chrono::steady_clock::now();
   const CallResult result = backend.create(spec);
   user.join();
   std::printf("create returned %.2f s after it started\n",
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
   EXPECT_EQ(result.status, DPP_E_CANCELLED) << result.message;
   EXPECT_TRUE(our_services(emulator()).empty());
   EXPECT_TRUE(host.state().empty());
}

TEST_F(Failures, AFaultAtAnyDomainRequestLeavesNoServiceAndNoDomain) {
   const std::map<std::string, std::string> shared = {{"DOKPLOY_EXPOSE_PORTS", "3000:web,8080:api"},
                                                      {"DOKPLOY_HTTP_RETRIES", "1"}};
   struct Fault {
      std::string procedure;
      int nth;
      nlohmann::json action;
   };
   const std::vector<Fault> faults = {
       {"domain.generateDomain", 1, {{"status", 403}}}, {"domain.generateDomain", 2, {{"status", 500}}},
       {"domain.create", 1, {{"status", 400}}},         {"domain.create", 2, {{"status", 500}}},
       {"domain.create", 2, {{"drop", true}}},
   };
   int run = 0;
   for (const Fault& fault : faults) {
      SCOPED_TRACE(fault.procedure + " #" + std::to_string(fault.nth) + ": " + fault.action.dump());
      emulator().reset();
      // "always" from the nth call on: the retries that could converge meet the fault too.
      emulator().add_fault({{"procedure", fault.procedure},
                            {"match", "nth"},
                            {"nth", fault.nth},
                            {"times", 100},
                            {"action", fault.action}});
      const CallResult result = create_with(shared, host_like_spec("domfault" + std::to_string(++run)));
      EXPECT_FALSE(result.ok());
      DPP_EXPECT_CONTAINS(result.message, fault.procedure);
      EXPECT_TRUE(our_services(emulator()).empty());
      EXPECT_TRUE(emulator().domains().empty()) << emulator().state()["domains"].dump();
   }
}

TEST_F(Failures, ADomainCreateWhoseAnswerIsLostMakesNoDuplicate) {
   // Dokploy makes the domain 1.2 s later; the provider gave up on the answer after 0.3 s.
   emulator().add_fault({{"procedure", "domain.create"}, {"nth", 1}, {"action", {{"delay_ms", 1200}}}});
   const CallResult result = create_with({{"DOKPLOY_EXPOSE_PORTS", "3000:web,8080:api"},
                                          {"DOKPLOY_EXPOSE_DOMAIN", "dev.test"},
                                          {"DOKPLOY_HTTP_TIMEOUT", "300"}},
                                         host_like_spec("domlate"));
   ASSERT_TRUE(result.ok()) << result.message;
   DPP_EXPECT_CONTAINS(last_log_, "reading the domains of");
   EXPECT_EQ(emulator().domains().size(), 2u) << emulator().state()["domains"].dump();
}

TEST_F(Failures, SshThatNeverAnswersTimesOutWithTheReason) {
   TestSpec spec = host_like_spec("nossh");
   spec.timeout_ms = 1500;
   FakeHost& host = host_for(spec);
   host.endpoint_check = [](const std::string&, uint16_t, const std::string&, std::string& message) {
      message = "connection refused";
      return DPP_E_CONNECT;
   };
   BackendUnderTest backend(host, options());
   const CallResult result = backend.create(spec);
   EXPECT_EQ(result.status, DPP_E_TIMEOUT);
   DPP_EXPECT_CONTAINS(result.message, "did not answer");
   DPP_EXPECT_CONTAINS(result.message, "connection refused");
   EXPECT_TRUE(our_services(emulator()).empty());
}

}  // namespace
}  // namespace dpp::test::dokploy

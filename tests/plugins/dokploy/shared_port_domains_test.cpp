// Shared ports (DOKPLOY_EXPOSE_*): one Dokploy domain per port, made before the deploy, converged
// by later creates and starts, gone with the workspace; generated names, forward auth, and the
// errors that come before any request.
#include <gtest/gtest.h>

#include <regex>

#include "dokploy_fixture.hpp"

namespace dpp::test::dokploy {
namespace {

using Options = std::map<std::string, std::string>;

// Index of the first request to `procedure` in the emulator's log (-1 when none).
int first_request(const Emulator& emulator, const std::string& procedure) {
   const auto requests = emulator.api_requests();
   for (std::size_t i = 0; i < requests.size(); ++i)
      if (requests[i].value("procedure", "") == procedure) return static_cast<int>(i);
   return -1;
}

int count_of(const std::map<std::string, int>& counts, const std::string& procedure) {
   const auto found = counts.find(procedure);
   return found == counts.end() ? 0 : found->second;
}

int domain_requests(const Emulator& emulator) {
   int count = 0;
   for (const auto& [procedure, n] : request_counts(emulator))
      if (procedure.rfind("domain.", 0) == 0) count += n;
   return count;
}

std::map<std::string, nlohmann::json> domains_by_host(const Emulator& emulator) {
   std::map<std::string, nlohmann::json> out;
   for (const auto& domain : emulator.domains()) out[domain.value("host", "")] = domain;
   return out;
}

class SharedPorts : public DokployPluginTest {
 protected:
   Options with(const Options& changes, const std::string& kind = "compose") {
      Options options = this->options();
      options["DOKPLOY_SERVICE_TYPE"] = kind;
      for (const auto& [name, value] : changes) options[name] = value;
      return options;
   }
   TestSpec spec_for(const std::string& machine, const std::string& kind) {
      TestSpec spec = host_like_spec(machine);
      if (kind == "application") spec.flags = 0;  // Swarm cannot run it privileged
      return spec;
   }
   // One verb in a fresh backend (a process of its own, as DevPod runs them).
   template <typename Verb>
   CallResult run(FakeHost& host, const Options& options, Verb&& verb) {
      BackendUnderTest backend(host, options);
      EXPECT_EQ(backend.made(), DPP_OK) << backend.made_message();
      return verb(backend);
   }
};

const Options kTwoPorts = {{"DOKPLOY_EXPOSE_PORTS", "3000:web,8080:api"},
                           {"DOKPLOY_EXPOSE_DOMAIN", "dev.test"}};

TEST_F(SharedPorts, CreateMakesOneDomainPerPortBeforeTheDeployAndDeleteTakesThemAway) {
   for (const std::string kind : {"compose", "application"}) {
      SCOPED_TRACE(kind);
      const std::string machine = "share-" + kind.substr(0, 3);
      TestSpec spec = spec_for(machine, kind);
      FakeHost& host = host_for(spec);
      emulator().clear_requests();
      const CallResult created = run(host, with(kTwoPorts, kind), [&](auto& b) { return b.create(spec); });
      ASSERT_TRUE(created.ok()) << created.message;

      auto domains = domains_by_host(emulator());
      ASSERT_EQ(domains.size(), 2u) << emulator().state().dump();
      const nlohmann::json& web = domains["web-" + machine + ".dev.test"];
      EXPECT_EQ(web.value("port", 0), 3000);
      EXPECT_EQ(web.value("https", false), true);
      EXPECT_EQ(web.value("certificateType", ""), "letsencrypt");
      EXPECT_EQ(web.value("path", ""), "/");
      EXPECT_EQ(web.value("domainType", ""), kind);
      if (kind == "compose") {
         EXPECT_EQ(web.value("serviceName", ""), "workspace");
         EXPECT_FALSE(web.value("composeId", "").empty());
      } else {
         EXPECT_FALSE(web.value("applicationId", "").empty());
      }
      EXPECT_EQ(domains["api-" + machine + ".dev.test"].value("port", 0), 8080);
      // Made before the deploy, so that a compose service's one deploy carries their labels.
      EXPECT_LT(first_request(emulator(), "domain.create"), first_request(emulator(), kind + ".deploy"));
      EXPECT_EQ(emulator().api_requests(kind + ".deploy").size(), 1u);

      DPP_EXPECT_CONTAINS(host.log_text(), "port 3000 is shared at https://web-" + machine + ".dev.test");
      DPP_EXPECT_CONTAINS(host.log_text(), "port 8080 is shared at https://api-" + machine + ".dev.test");
      DPP_EXPECT_CONTAINS(host.log_text(), "are public");
      const auto record = nlohmann::json::parse(host.state().at("service"));
      ASSERT_EQ(record["addresses"].size(), 2u) << record.dump();
      EXPECT_EQ(record["addresses"][0]["url"], "https://web-" + machine + ".dev.test");
      EXPECT_EQ(record["addresses"][0]["domainId"], web["domainId"]);

      emulator().clear_requests();
      const CallResult again = run(host, with(kTwoPorts, kind), [&](auto& b) { return b.create(spec); });
      ASSERT_TRUE(again.ok()) << again.message;
      EXPECT_EQ(domain_requests(emulator()), 0) << describe_counts(request_counts(emulator()));
      EXPECT_EQ(emulator().domains().size(), 2u);

      const CallResult removed =
          run(host, with(kTwoPorts, kind), [&](auto& b) { return b.remove(spec.machine_id); });
      ASSERT_TRUE(removed.ok()) << removed.message;
      DPP_EXPECT_CONTAINS(host.log_text(), "the domains of its 2 shared ports");
      EXPECT_TRUE(emulator().domains().empty()) << emulator().state()["domains"].dump();
   }
}

TEST_F(SharedPorts, ChangedPortsConvergeAtTheNextStartAndAComposeServiceRedeploys) {
   TestSpec spec = spec_for("converge", "compose");
   FakeHost& host = host_for(spec);
   ASSERT_TRUE(run(host, with(kTwoPorts), [&](auto& b) { return b.create(spec); }).ok());
   const std::string web_id = domains_by_host(emulator())["web-converge.dev.test"].value("domainId", "");
   ASSERT_TRUE(run(host, with(kTwoPorts), [&](auto& b) { return b.stop(spec.machine_id); }).ok());

   const Options changed = {{"DOKPLOY_EXPOSE_PORTS", "3001:web,9000:docs"},
                            {"DOKPLOY_EXPOSE_DOMAIN", "dev.test"}};
   emulator().clear_requests();
   const CallResult started = run(host, with(changed), [&](auto& b) { return b.start(spec); });
   ASSERT_TRUE(started.ok()) << started.message;
   auto domains = domains_by_host(emulator());
   EXPECT_EQ(domains.size(), 2u);
   EXPECT_EQ(domains["web-converge.dev.test"].value("domainId", ""), web_id) << "changed in place";
   EXPECT_EQ(domains["web-converge.dev.test"].value("port", 0), 3001);
   EXPECT_EQ(domains["docs-converge.dev.test"].value("port", 0), 9000);
   EXPECT_FALSE(domains.count("api-converge.dev.test"));
   const auto counts = request_counts(emulator());
   EXPECT_EQ(count_of(counts, "domain.update"), 1);
   EXPECT_EQ(count_of(counts, "domain.delete"), 1);
   EXPECT_EQ(count_of(counts, "domain.create"), 1);
   // Dokploy writes a compose service's domains as labels at deploy time: start deploys.
   EXPECT_EQ(count_of(counts, "compose.deploy"), 1) << describe_counts(counts);
   EXPECT_EQ(count_of(counts, "compose.start"), 0) << describe_counts(counts);
   DPP_EXPECT_CONTAINS(host.log_text(), "deleted the domain api-converge.dev.test (port 8080)");

   ASSERT_TRUE(run(host, with(changed), [&](auto& b) { return b.stop(spec.machine_id); }).ok());
   emulator().clear_requests();
   ASSERT_TRUE(run(host, with(changed), [&](auto& b) { return b.start(spec); }).ok());
   EXPECT_EQ(domain_requests(emulator()), 0);
   EXPECT_EQ(count_of(request_counts(emulator()), "compose.deploy"), 0) << "nothing changed: a plain start";
}

TEST_F(SharedPorts, AnApplicationsDomainsChangeWithoutARedeploy) {
   TestSpec spec = spec_for("appshare", "application");
   FakeHost& host = host_for(spec);
   ASSERT_TRUE(run(host, with(kTwoPorts, "application"), [&](auto& b) { return b.create(spec); }).ok());
   ASSERT_TRUE(
       run(host, with(kTwoPorts, "application"), [&](auto& b) { return b.stop(spec.machine_id); }).ok());
   emulator().clear_requests();
   const Options one = {{"DOKPLOY_EXPOSE_PORTS", "3000:web"}, {"DOKPLOY_EXPOSE_DOMAIN", "dev.test"}};
   ASSERT_TRUE(run(host, with(one, "application"), [&](auto& b) { return b.start(spec); }).ok());
   EXPECT_EQ(emulator().domains().size(), 1u);
   const auto counts = request_counts(emulator());
   EXPECT_EQ(count_of(counts, "application.deploy"), 0) << describe_counts(counts);
   EXPECT_EQ(count_of(counts, "application.start"), 1) << describe_counts(counts);
}

TEST_F(SharedPorts, WithoutADomainDokployGeneratesNamesThatLaterStartsKeep) {
   TestSpec spec = spec_for("gen", "compose");
   FakeHost& host = host_for(spec);
   const Options generated = {{"DOKPLOY_EXPOSE_PORTS", "3000:web"}};
   emulator().clear_requests();
   ASSERT_TRUE(run(host, with(generated), [&](auto& b) { return b.create(spec); }).ok());
   const auto counts = request_counts(emulator());
   EXPECT_EQ(count_of(counts, "domain.generateDomain"), 1);
   EXPECT_EQ(count_of(counts, "domain.create"), 1);
   const auto domains = emulator().domains();
   ASSERT_EQ(domains.size(), 1u);
   const std::string host_name = domains[0].value("host", "");
   EXPECT_TRUE(std::regex_match(host_name, std::regex("web-gen-[0-9a-f]{6}-203-0-113-10\\.sslip\\.io")))
       << host_name;
   EXPECT_EQ(domains[0].value("https", true), false) << "generated names default to plain HTTP";
   DPP_EXPECT_CONTAINS(host.log_text(), "port 3000 is shared at http://" + host_name);

   ASSERT_TRUE(run(host, with(generated), [&](auto& b) { return b.stop(spec.machine_id); }).ok());
   emulator().clear_requests();
   ASSERT_TRUE(run(host, with(generated), [&](auto& b) { return b.start(spec); }).ok());
   EXPECT_EQ(domain_requests(emulator()), 0) << "the generated name is recognised, not made again";
   EXPECT_EQ(emulator().domains().size(), 1u);
}

TEST_F(SharedPorts, NoServerIpToGenerateNamesWithIsAClearErrorThatLeavesNothing) {
   emulator().set_web_server_ip("");
   TestSpec spec = spec_for("noip", "compose");
   FakeHost& host = host_for(spec);
   const CallResult created =
       run(host, with({{"DOKPLOY_EXPOSE_PORTS", "3000"}}), [&](auto& b) { return b.create(spec); });
   emulator().set_web_server_ip("203.0.113.10");
   EXPECT_EQ(created.status, DPP_E_CONFIG);
   DPP_EXPECT_CONTAINS(created.message,
                       "DOKPLOY_EXPOSE_DOMAIN is empty and Dokploy cannot generate addresses");
   DPP_EXPECT_CONTAINS(created.message, "-127-0-0-1.sslip.io");  // the loopback it falls back to
   EXPECT_TRUE(our_services(emulator()).empty());
   EXPECT_TRUE(emulator().domains().empty());
}

TEST_F(SharedPorts, AnAddressTooLongForDnsFailsBeforeAnyRequest) {
   TestSpec spec = spec_for(std::string(30, 'm'), "compose");
   FakeHost& host = host_for(spec);
   emulator().clear_requests();
   const CallResult created = run(host,
                                  with({{"DOKPLOY_EXPOSE_PORTS", "3000:" + std::string(40, 'n')},
                                        {"DOKPLOY_EXPOSE_DOMAIN", "dev.test"}}),
                                  [&](auto& b) { return b.create(spec); });
   EXPECT_EQ(created.status, DPP_E_CONFIG);
   DPP_EXPECT_CONTAINS(created.message, "71 characters: DNS allows 63 in one label");
   EXPECT_TRUE(emulator().api_requests().empty()) << describe_counts(request_counts(emulator()));
}

TEST_F(SharedPorts, DomainsAddedByHandToAWorkspaceServiceAreRemoved) {
   TestSpec spec = spec_for("byhand", "compose");
   FakeHost& host = host_for(spec);
   const Options one = {{"DOKPLOY_EXPOSE_PORTS", "3000:web"}, {"DOKPLOY_EXPOSE_DOMAIN", "dev.test"}};
   ASSERT_TRUE(run(host, with(one), [&](auto& b) { return b.create(spec); }).ok());
   const std::string compose_id = our_services(emulator()).front().value("composeId", "");
   emulator().api("domain.create", {{"host", "mine.example.com"},
                                    {"composeId", compose_id},
                                    {"serviceName", "workspace"},
                                    {"domainType", "compose"}});
   ASSERT_TRUE(run(host, with(one), [&](auto& b) { return b.stop(spec.machine_id); }).ok());
   ASSERT_TRUE(run(host, with(one), [&](auto& b) { return b.start(spec); }).ok());
   const auto domains = domains_by_host(emulator());
   EXPECT_EQ(domains.size(), 1u);
   EXPECT_TRUE(domains.count("web-byhand.dev.test"));
   DPP_EXPECT_CONTAINS(host.log_text(), "deleted the domain mine.example.com");
}

TEST_F(SharedPorts, ForwardAuthIsAskedForOnApplicationsAndRefusedWhereItCannotHold) {
   const Options guarded = {{"DOKPLOY_EXPOSE_PORTS", "3000:web"},
                            {"DOKPLOY_EXPOSE_DOMAIN", "dev.test"},
                            {"DOKPLOY_EXPOSE_FORWARD_AUTH", "true"}};
   TestSpec spec = spec_for("sso", "application");
   FakeHost& host = host_for(spec);
   ASSERT_TRUE(run(host, with(guarded, "application"), [&](auto& b) { return b.create(spec); }).ok());
   ASSERT_EQ(emulator().domains().size(), 1u);
   EXPECT_TRUE(emulator().domains()[0].value("forwardAuthEnabled", false));
   DPP_EXPECT_CONTAINS(host.log_text(), "single sign-on");

   // A compose service's domains cannot carry it: refused when the backend is made.
   FakeHost& other = host_for(spec_for("sso-compose", "compose"));
   BackendUnderTest compose(other, with(guarded, "compose"));
   EXPECT_EQ(compose.made(), DPP_E_CONFIG);
   DPP_EXPECT_CONTAINS(compose.made_message(), "DOKPLOY_EXPOSE_FORWARD_AUTH");

   // A Dokploy without the column would drop the flag and leave the address public.
   emulator().set_version("v0.26.0");
   TestSpec old_spec = spec_for("sso-old", "application");
   FakeHost& old_host = host_for(old_spec);
   const CallResult refused =
       run(old_host, with(guarded, "application"), [&](auto& b) { return b.create(old_spec); });
   EXPECT_EQ(refused.status, DPP_E_VERSION);
   DPP_EXPECT_CONTAINS(refused.message, "no forward auth");
   for (const auto& service : our_services(emulator()))
      EXPECT_EQ(service.value("name", "").find("sso-old"), std::string::npos) << "left behind";
}

TEST_F(SharedPorts, OlderDokployVersionsTakeTheSameDomainRequests) {
   for (const std::string version : {"v0.24.3", "v0.26.0"}) {
      emulator().reset();
      emulator().set_version(version);
      TestSpec spec = spec_for("old-" + version.substr(3, 2), "compose");
      FakeHost& host = host_for(spec);
      const CallResult created = run(host, with(kTwoPorts), [&](auto& b) { return b.create(spec); });
      ASSERT_TRUE(created.ok()) << version << ": " << created.message;
      EXPECT_EQ(emulator().domains().size(), 2u) << version;
      EXPECT_TRUE(emulator().schema_errors().empty()) << version;
   }
}

TEST_F(SharedPorts, InitSaysWhetherTheAddressesCanBeMade) {
   const auto line = [&](const Options& changes, const std::string& kind = "compose") {
      FakeHost& host = *hosts_.emplace_back(std::make_unique<FakeHost>());  // init: no machine
      std::vector<CheckLine> lines;
      run(host, with(changes, kind), [&](auto& b) { return b.check(lines); });
      for (const auto& entry : lines)
         if (entry.name == "shared ports") return entry;
      return CheckLine{"(none)", -1, "", ""};
   };
   EXPECT_EQ(line({}).name, "(none)") << "nothing shared, nothing said";
   const CheckLine generated = line({{"DOKPLOY_EXPOSE_PORTS", "3000"}});
   EXPECT_EQ(generated.result, DPP_CHECK_PASS);
   DPP_EXPECT_CONTAINS(generated.message, "Dokploy generates the addresses of ports 3000");
   DPP_EXPECT_CONTAINS(generated.message, "-203-0-113-10.traefik.me or .sslip.io");
   emulator().set_web_server_ip("");
   const CheckLine no_ip = line({{"DOKPLOY_EXPOSE_PORTS", "3000"}});
   emulator().set_web_server_ip("203.0.113.10");
   EXPECT_EQ(no_ip.result, DPP_CHECK_FAIL);
   DPP_EXPECT_CONTAINS(no_ip.fix, "DOKPLOY_EXPOSE_DOMAIN");
   emulator().set_version("v0.26.0");
   const CheckLine old_sso =
       line({{"DOKPLOY_EXPOSE_PORTS", "3000"}, {"DOKPLOY_EXPOSE_FORWARD_AUTH", "true"}}, "application");
   EXPECT_EQ(old_sso.result, DPP_CHECK_FAIL);
   DPP_EXPECT_CONTAINS(old_sso.message, "v0.26.0 has no forward auth");
}

TEST_F(SharedPorts, DoctorReportsEachRecordedAddressAndWhyItDoesNotAnswer) {
   TestSpec spec = spec_for("doc", "compose");
   FakeHost& host = host_for(spec);
   ASSERT_TRUE(run(host, with(kTwoPorts), [&](auto& b) { return b.create(spec); }).ok());
   std::vector<CheckLine> lines;
   run(host, with(kTwoPorts), [&](auto& b) { return b.check(lines); });
   std::map<std::string, CheckLine> by_name;
   for (const auto& line : lines) by_name[line.name] = line;
   EXPECT_EQ(by_name["shared ports"].result, DPP_CHECK_PASS);
   DPP_EXPECT_CONTAINS(by_name["shared ports"].message, "3000 at https://web-<machine>.dev.test");
   DPP_EXPECT_CONTAINS(by_name["shared ports"].message, "public on the internet");
   // dev.test names resolve nowhere: the line says so and what to do.
   const CheckLine& web = by_name["shared port 3000"];
   EXPECT_EQ(web.result, DPP_CHECK_WARN);
   DPP_EXPECT_CONTAINS(web.message, "web-doc.dev.test does not resolve");
   DPP_EXPECT_CONTAINS(web.fix, "wildcard DNS record");
   EXPECT_EQ(by_name.count("shared port 8080"), 1u);
}

}  // namespace
}  // namespace dpp::test::dokploy

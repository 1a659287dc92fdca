// Shared ports against real Dokploy: with DOKPLOY_EXPOSE_PORTS the workspace's service gets one
// Dokploy domain per port, a changed option converges the set at the next start, and delete
// takes them away. Traefik cannot run on these machines (docs/compatibility.md), so this checks
// what Dokploy accepted and stored; the emulator tier fetches through the addresses.
#include <gtest/gtest.h>

#include <map>

#include "leftovers.hpp"
#include "real_machine.hpp"

namespace dpp::test::real {
namespace {

// host → port of every domain of the machine's service.
std::map<std::string, int> domains_of(const RealWorld& world, const ServiceRef& service,
                                      std::vector<std::string>* ids = nullptr) {
   const bool application = service.kind == "application";
   const std::string query = (application ? "applicationId=" : "composeId=") + service.id;
   std::map<std::string, int> hosts;
   for (const auto& domain :
        world.api(application ? "domain.byApplicationId" : "domain.byComposeId", nullptr, query)) {
      hosts[domain.value("host", "")] = domain.value("port", 0);
      if (ids) ids->push_back(domain.value("domainId", ""));
   }
   return hosts;
}

struct Kind {
   std::string name;
   std::map<std::string, std::string> options;
   int port_base;
};

std::ostream& operator<<(std::ostream& out, const Kind& kind) {
   return out << kind.name;
}

class RealDomains : public ::testing::TestWithParam<Kind> {};

TEST_P(RealDomains, ExposedPortsBecomeDokployDomainsAndGoAwayWithTheWorkspace) {
   DPP_REQUIRE_REAL_WORLD();
   const RealWorld& world = RealWorld::get();
   std::map<std::string, std::string> options = GetParam().options;
   options["DOKPLOY_EXPOSE_PORTS"] = "3000:web,8080:api";
   options["DOKPLOY_EXPOSE_DOMAIN"] = "dev.example.test";
   options["DOKPLOY_EXPOSE_HTTPS"] = "none";
   RealMachine machine(GetParam().name, options, GetParam().port_base);
   ASSERT_TRUE(machine.add_provider().ok());

   const auto created = machine.machine("create");
   ASSERT_TRUE(created.ok()) << created.describe();
   const std::string web = "web-" + machine.id() + ".dev.example.test";
   const std::string api = "api-" + machine.id() + ".dev.example.test";
   EXPECT_NE((created.process.out + created.process.err).find("http://" + web), std::string::npos)
       << "create prints the addresses: " << created.describe();
   const ServiceRef service = find_service(world, machine.id());
   ASSERT_FALSE(service.id.empty()) << "no Dokploy service for " << machine.id();
   std::vector<std::string> ids;
   EXPECT_EQ(domains_of(world, service, &ids), (std::map<std::string, int>{{api, 8080}, {web, 3000}}));

   // One port fewer: the next start converges Dokploy's set. DevPod v0.5.7 copies the provider's
   // options into a machine when it creates it, so `provider set-options` does not reach this
   // machine: its start is run as DevPod would run it with the changed option.
   ASSERT_TRUE(machine.machine("stop").ok());
   const ProcessResult started = machine.provider("start", {{"DOKPLOY_EXPOSE_PORTS", "3000:web"}});
   ASSERT_EQ(started.exit_code, 0) << started.err;
   EXPECT_EQ(domains_of(world, service), (std::map<std::string, int>{{web, 3000}}));

   const auto deleted = machine.machine("delete");
   ASSERT_TRUE(deleted.ok()) << deleted.describe();
   for (const std::string& id : ids)
      EXPECT_NE(world.call("domain.one", nullptr, "domainId=" + id).status, 200)
          << "domain " << id << " outlived";
   const Leftovers left = find_leftovers(world, machine.id());
   EXPECT_TRUE(left.nothing_but_volumes()) << left.describe();
   remove_volumes(world, left.volumes);
}

INSTANTIATE_TEST_SUITE_P(
    Real, RealDomains,
    ::testing::Values(Kind{"domapp",
                           {{"DOKPLOY_SERVICE_TYPE", "application"}, {"DOKPLOY_SSH_PUBLISH_MODE", "host"}},
                           24200},
                      Kind{"domcom",
                           {{"DOKPLOY_SERVICE_TYPE", "compose"}, {"DOKPLOY_DOCKER_IN_WORKSPACE", "false"}},
                           24220}),
    [](const ::testing::TestParamInfo<Kind>& kind) { return kind.param.name; });

}  // namespace
}  // namespace dpp::test::real

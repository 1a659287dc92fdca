// DOKPLOY_EXPOSE_*: the port list, the base domain, and the DNS rules every address name meets
// before any request.
#include <gtest/gtest.h>

#include <dpp/cpp/plugin.hpp>

#include "shared_ports.hpp"

namespace dpp::dokploy {
namespace {

using dpp::sdk::Error;

// The message of the DPP_E_CONFIG error `call` throws, or "" when it throws none.
template <typename Call>
std::string config_error(Call&& call) {
   try {
      call();
   } catch (const Error& e) {
      EXPECT_EQ(e.status(), DPP_E_CONFIG) << e.what();
      return e.what();
   }
   return "";
}

TEST(SharedPorts, PortsWithAndWithoutNames) {
   EXPECT_EQ(parse_shared_ports("3000:web, 8080 : API,9000"),
             (std::vector<SharedPort>{{"web", 3000}, {"api", 8080}, {"p9000", 9000}}));
   EXPECT_TRUE(parse_shared_ports("").empty());
   EXPECT_TRUE(parse_shared_ports(" , ").empty());
}

TEST(SharedPorts, BadListsAreRefusedNamingTheOption) {
   for (const char* bad : {"0", "70000", "30x0", "web", "3000:", "3000:-web", "3000:we_b", "3000:web-"}) {
      const std::string message = config_error([&] { parse_shared_ports(bad); });
      EXPECT_NE(message.find("DOKPLOY_EXPOSE_PORTS"), std::string::npos) << bad << ": " << message;
   }
   EXPECT_NE(config_error([] { parse_shared_ports("3000:a,3000:b"); }).find("listed twice"),
             std::string::npos);
   EXPECT_NE(config_error([] { parse_shared_ports("3000:a,3001:a"); }).find("used twice"), std::string::npos);
   std::string many;
   for (int port = 3000; port < 3021; ++port) many += std::to_string(port) + ",";
   EXPECT_NE(config_error([&] { parse_shared_ports(many); }).find("at most 20"), std::string::npos);
}

TEST(SharedPorts, ANameMustLeaveRoomForADevpodUpMachine) {
   EXPECT_EQ(parse_shared_ports("1:" + std::string(46, 'n')).front().name.size(), 46u);
   const std::string message = config_error([] { parse_shared_ports("1:" + std::string(47, 'n')); });
   EXPECT_NE(message.find("at most 46"), std::string::npos) << message;
}

TEST(SharedPorts, BaseDomainIsAPlainLowerCaseName) {
   EXPECT_EQ(parse_base_domain(" Dev.Example.COM. "), "dev.example.com");
   for (const char* bad : {"*.dev.example.com", "https://dev.example.com", "dev.example.com:443",
                           "dev..example.com", "-a.com", "a_b.com", "dev.example.com/x"})
      EXPECT_NE(config_error([&] { parse_base_domain(bad); }).find("DOKPLOY_EXPOSE_DOMAIN"),
                std::string::npos)
          << bad;
   const std::string long_base = std::string(47, 'a') + "." + std::string(47, 'b') + "." +
                                 std::string(47, 'c') + "." +
                                 std::string(47, 'd');  // 191 characters: no room for a label
   EXPECT_NE(config_error([&] { parse_base_domain(long_base); }).find("use at most 189"), std::string::npos);
}

TEST(SharedPorts, AddressLabelJoinsNameAndMachineWithinDnsRules) {
   EXPECT_EQ(address_label({"web", 3000}, "my-ws"), "web-my-ws");
   const std::string too_long = config_error([] {
      address_label({std::string(20, 'n'), 3000}, std::string(48, 'm'));
   });
   EXPECT_NE(too_long.find("69 characters"), std::string::npos) << too_long;
   EXPECT_NE(too_long.find("shorten the name"), std::string::npos) << too_long;
   EXPECT_NE(config_error([] {
                address_label({"web", 3000}, "ws-");
             }).find("ends with '-'"),
             std::string::npos);
   EXPECT_NE(config_error([] { address_label({"ab", 3000}, "-x"); }).find("reserved"), std::string::npos);
}

TEST(SharedPorts, PlannedHostsNeedABaseDomain) {
   SharingSettings sharing;
   sharing.ports = {{"web", 3000}, {"p8080", 8080}};
   auto planned = plan_addresses(sharing, "m1");
   ASSERT_EQ(planned.size(), 2u);
   EXPECT_FALSE(planned[0].host);
   EXPECT_EQ(planned[1].label, "p8080-m1");
   sharing.base_domain = "dev.example.com";
   planned = plan_addresses(sharing, "m1");
   EXPECT_EQ(*planned[0].host, "web-m1.dev.example.com");
}

TEST(SharedPorts, HostNamesFollowDns) {
   std::string why;
   EXPECT_TRUE(valid_host_name("web-m1-0a1b2c-127-0-0-1.sslip.io"));
   EXPECT_FALSE(valid_host_name(std::string(64, 'a') + ".io", &why));
   EXPECT_NE(why.find("63"), std::string::npos);
   EXPECT_FALSE(valid_host_name("a..b", &why));
   EXPECT_FALSE(valid_host_name("", &why));
   EXPECT_EQ(address_url("a.b", true), "https://a.b");
   EXPECT_EQ(address_url("a.b", false), "http://a.b");
}

TEST(SharedPorts, CertificatesDefaultByKindOfName) {
   const auto settings = [](std::map<std::string, std::string> values, bool compose = false) {
      dpp_option_value items[8];
      std::size_t count = 0;
      for (const auto& [name, value] : values) items[count++] = {name.c_str(), value.c_str()};
      const dpp_options raw{sizeof(dpp_options), static_cast<uint32_t>(count), items};
      return SharingSettings::from(dpp::sdk::Options(&raw), compose);
   };
   EXPECT_EQ(settings({{kOptExposePorts, "3000"}, {kOptExposeDomain, "dev.test"}}).certificate_type(),
             "letsencrypt");
   EXPECT_EQ(settings({{kOptExposePorts, "3000"}}).certificate_type(), "none");
   const SharingSettings custom = settings({{kOptExposePorts, "3000"}, {kOptExposeHttps, "step-ca"}});
   EXPECT_EQ(custom.certificate_type(), "custom");
   EXPECT_EQ(custom.cert_resolver, "step-ca");
   EXPECT_TRUE(custom.https());
   EXPECT_NE(config_error([&] {
                settings({{kOptExposeHttps, "custom"}});
             }).find("name the Traefik"),
             std::string::npos);
   EXPECT_NE(config_error([&] { settings({{kOptExposeHttps, "a b"}}); }), "");
   const std::string forward = config_error([&] { settings({{kOptExposeForwardAuth, "true"}}, true); });
   EXPECT_NE(forward.find("application"), std::string::npos) << forward;
}

}  // namespace
}  // namespace dpp::dokploy

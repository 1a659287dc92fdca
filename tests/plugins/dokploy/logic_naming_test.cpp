// Service names carrying machine id and port, the port choice, and Dokploy version parsing.
#include <gtest/gtest.h>

#include <dpp/cpp/plugin.hpp>

#include "dokploy_version.hpp"
#include "port_allocator.hpp"
#include "service_naming.hpp"

namespace dpp::dokploy {
namespace {

TEST(ServiceNaming, NameCarriesMachineAndPortAndParsesBack) {
   EXPECT_EQ(service_name("my-ws-1", 2231), "devpod-my-ws-1 (ssh 2231)");
   const auto parsed = parse_service_name("devpod-my-ws-1 (ssh 2231)");
   ASSERT_TRUE(parsed);
   EXPECT_EQ(parsed->machine_id, "my-ws-1");
   EXPECT_EQ(parsed->port, 2231);
}

TEST(ServiceNaming, OtherNamesAreNotOurs) {
   for (const char* name :
        {"devpod-x", "devpod-x (ssh )", "devpod-x (ssh 0)", "devpod-x (ssh 70000)", "devpod-X (ssh 22)",
         "seed-3", "devpod- (ssh 22)", "devpod-x (ssh 022)", "xdevpod-x (ssh 22)"})
      EXPECT_FALSE(parse_service_name(name)) << name;
}

TEST(ServiceNaming, RequestedAppNameLeavesRoomForDokploysSuffix) {
   const std::string longest(48, 'a');
   EXPECT_LE(requested_app_name(longest).size() + 7, 63u);
}

TEST(PortChoice, SameMachineSameStartAndTakenPortsSkipped) {
   const uint16_t first = choose_port("machine-a", 2222, 2299, {});
   EXPECT_EQ(choose_port("machine-a", 2222, 2299, {}), first);
   const uint16_t next = choose_port("machine-a", 2222, 2299, {first});
   EXPECT_NE(next, first);
   EXPECT_GE(next, 2222);
   EXPECT_LE(next, 2299);
}

TEST(PortChoice, FullRangeIsAConflict) {
   try {
      choose_port("m", 2222, 2223, {2222, 2223});
      FAIL() << "no error";
   } catch (const dpp::sdk::Error& e) {
      EXPECT_EQ(e.status(), DPP_E_CONFLICT);
      EXPECT_NE(std::string(e.what()).find("2222-2223"), std::string::npos);
   }
}

TEST(DokployVersion, ParsesTheSpellingsDokployUses) {
   EXPECT_EQ(parse_version("v0.30.2"), (Version{0, 30, 2}));
   EXPECT_EQ(parse_version("0.25"), (Version{0, 25, 0}));
   EXPECT_EQ(parse_version(" v0.26.1-canary.3\n"), (Version{0, 26, 1}));
   EXPECT_FALSE(parse_version("canary"));
   EXPECT_FALSE(parse_version("v0.30.2x"));
}

TEST(DokployVersion, FeaturesFollowTheVersionTable) {
   const Features v24 = Features::of({0, 24, 9});
   EXPECT_FALSE(v24.environments);
   EXPECT_FALSE(v24.command_args);
   const Features v255 = Features::of({0, 25, 5});
   EXPECT_TRUE(v255.environments);
   EXPECT_FALSE(v255.env_build_secrets);
   const Features v256 = Features::of({0, 25, 6});
   EXPECT_TRUE(v256.env_build_secrets);
   EXPECT_FALSE(v256.env_create_file);
   const Features v260 = Features::of({0, 26, 0});
   EXPECT_TRUE(v260.command_args);
   EXPECT_FALSE(v260.env_create_file);
   EXPECT_TRUE(Features::of({0, 26, 1}).env_create_file);
   EXPECT_FALSE(Features::of({0, 29, 9}).create_source_type);
   EXPECT_TRUE(Features::of({0, 30, 0}).create_source_type);
}

}  // namespace
}  // namespace dpp::dokploy

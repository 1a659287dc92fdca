// DOKPLOY_SSH_PORT_RANGE is the Dokploy backend's own notion (one published port per workspace),
// so the plugin checks it: the forms it accepts and how it refuses the others.
#include <gtest/gtest.h>

#include "plugin_options.hpp"

namespace dpp::dokploy {
namespace {

// The message of the refusal of `text` ("" when it was accepted).
std::string refusal(std::string_view text) {
   try {
      parse_port_range(text);
   } catch (const dpp::sdk::Error& e) {
      EXPECT_EQ(e.status(), DPP_E_CONFIG);
      return e.what();
   }
   return "";
}

TEST(PortRange, BothEndsAreReadWithSpacesAndLeadingZeros) {
   const PortRange range = parse_port_range(" 2222 - 2299 ");
   EXPECT_EQ(range.low, 2222);
   EXPECT_EQ(range.high, 2299);
   EXPECT_EQ(parse_port_range("02222-2222").low, 2222);
}

TEST(PortRange, ASinglePortIsARangeOfOne) {
   const PortRange range = parse_port_range("3000");
   EXPECT_EQ(range.low, 3000);
   EXPECT_EQ(range.high, 3000);
}

TEST(PortRange, ReversedRangeIsRefusedWithBothBounds) {
   EXPECT_EQ(refusal("2299-2222"),
             "DOKPLOY_SSH_PORT_RANGE='2299-2222' is reversed: the first port (2299) is greater than the last "
             "(2222). Expected a port range such as 2222-2299.");
}

TEST(PortRange, PortsOutsideTheTcpPortsAreRefused) {
   EXPECT_EQ(
       refusal("0-10"),
       "DOKPLOY_SSH_PORT_RANGE='0-10' has a port outside 1-65535. Expected a port range such as 2222-2299.");
   EXPECT_NE(refusal("65000-65536").find("has a port outside 1-65535"), std::string::npos);
}

TEST(PortRange, WhatIsNotARangeIsRefusedAsSuch) {
   for (const char* text : {"2222-", "a-b", "-5-10", "", "2222-2299-2300", "123456-123457"})
      EXPECT_NE(refusal(text).find("is not a port range"), std::string::npos) << text;
}

TEST(PortRange, ALongValueIsShownCutAtACharacterBoundary) {
   const std::string value = std::string(39, '1') + "é" + std::string(100, '2');
   const std::string message = refusal(value);
   EXPECT_NE(message.find("='" + std::string(39, '1') + "…' is not a port range"), std::string::npos)
       << message;
}

}  // namespace
}  // namespace dpp::dokploy

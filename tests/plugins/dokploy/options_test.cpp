// The options the Dokploy plugin declares (names, types, groups, defaults, flags) and how bad
// values are refused when a backend is made.
#include <gtest/gtest.h>

#include <cstring>

#include "dokploy_fixture.hpp"

namespace dpp::test::dokploy {
namespace {

struct Expected {
   const char* name;
   int32_t type;
   uint32_t flags;
   const char* default_value;  // nullptr: none
   const char* group;
   const char* enum_values;
};

TEST(DokployOptions, DeclaresEveryOptionWithTypeGroupDefaultAndFlags) {
   const std::vector<Expected> expected = {
       {"DOKPLOY_SERVER_URL", DPP_OPTION_URL, DPP_OPTION_REQUIRED, nullptr, "connection", nullptr},
       {"DOKPLOY_API_TOKEN", DPP_OPTION_STRING, DPP_OPTION_REQUIRED | DPP_OPTION_SECRET, nullptr,
        "connection", nullptr},
       {"DOKPLOY_PROJECT_NAME", DPP_OPTION_STRING, 0, "devpod-workspaces", "workspace", nullptr},
       {"DOKPLOY_ENVIRONMENT_NAME", DPP_OPTION_STRING, 0, nullptr, "workspace", nullptr},
       {"DOKPLOY_SERVER_ID", DPP_OPTION_STRING, 0, nullptr, "workspace", nullptr},
       {"DOKPLOY_SERVICE_TYPE", DPP_OPTION_ENUM, 0, "compose", "workspace", "compose|application"},
       {"DOKPLOY_DOCKER_PRIVILEGES", DPP_OPTION_ENUM, 0, "privileged", "workspace",
        "privileged|capabilities|sysbox"},
       {"DOKPLOY_SSH_HOST", DPP_OPTION_HOST, 0, nullptr, "ssh", nullptr},
       {"DOKPLOY_SSH_PORT_RANGE", DPP_OPTION_STRING, 0, "2222-2299", "ssh", nullptr},
       {"DOKPLOY_SSH_PUBLISH_MODE", DPP_OPTION_ENUM, 0, "ingress", "ssh", "ingress|host"},
       {"DOKPLOY_CA_CERT", DPP_OPTION_PATH, 0, nullptr, "connection", nullptr},
       {"DOKPLOY_TLS_INSECURE", DPP_OPTION_BOOLEAN, 0, "false", "connection", nullptr},
       {"DOKPLOY_EXPOSE_PORTS", DPP_OPTION_STRING, 0, nullptr, "workspace", nullptr},
       {"DOKPLOY_EXPOSE_DOMAIN", DPP_OPTION_STRING, 0, nullptr, "workspace", nullptr},
       {"DOKPLOY_EXPOSE_HTTPS", DPP_OPTION_STRING, 0, nullptr, "workspace", nullptr},
       {"DOKPLOY_EXPOSE_FORWARD_AUTH", DPP_OPTION_BOOLEAN, 0, "false", "workspace", nullptr},
       {"DOKPLOY_HTTP_TIMEOUT", DPP_OPTION_DURATION, 0, "30s", "advanced", nullptr},
       {"DOKPLOY_CONNECT_TIMEOUT", DPP_OPTION_DURATION, 0, "10s", "advanced", nullptr},
       {"DOKPLOY_HTTP_RETRIES", DPP_OPTION_INTEGER, 0, "4", "advanced", nullptr},
       {"DOKPLOY_POLL_INTERVAL", DPP_OPTION_DURATION, 0, "2s", "advanced", nullptr},
   };
   const auto declared = BackendUnderTest::declared_options();
   ASSERT_EQ(declared.size(), expected.size());
   for (std::size_t i = 0; i < expected.size(); ++i) {
      const dpp_option_desc& d = declared[i];
      const Expected& e = expected[i];
      SCOPED_TRACE(e.name);
      EXPECT_STREQ(d.name, e.name);
      EXPECT_EQ(d.struct_size, sizeof(dpp_option_desc));
      EXPECT_EQ(d.type, e.type);
      EXPECT_EQ(d.flags, e.flags);
      if (e.default_value)
         EXPECT_STREQ(d.default_value, e.default_value);
      else
         EXPECT_EQ(d.default_value, nullptr);
      EXPECT_STREQ(d.group, e.group);
      if (e.enum_values)
         EXPECT_STREQ(d.enum_values, e.enum_values);
      else
         EXPECT_EQ(d.enum_values, nullptr);
      ASSERT_NE(d.description, nullptr);
      EXPECT_GT(std::strlen(d.description), 20u);
   }
   EXPECT_STREQ(BackendUnderTest::entry().id, "dokploy");
}

class OptionValues : public DokployPluginTest {
 protected:
   void expect_refused(const std::string& name, const std::string& value, const std::string& needle) {
      auto options = this->options();
      options[name] = value;
      FakeHost host;
      BackendUnderTest backend(host, options);
      EXPECT_EQ(backend.made(), DPP_E_CONFIG) << name << "=" << value;
      DPP_EXPECT_CONTAINS(backend.made_message(), needle);
   }
};

TEST_F(OptionValues, UnusableValuesAreConfigurationErrorsNamingTheOption) {
   expect_refused("DOKPLOY_SSH_PORT_RANGE", "2299-2222", "DOKPLOY_SSH_PORT_RANGE='2299-2222' is reversed");
   expect_refused("DOKPLOY_SSH_PORT_RANGE", "2222-70000", "has a port outside 1-65535");
   expect_refused("DOKPLOY_SERVER_URL", "ftp://dokploy.example.com", "DOKPLOY_SERVER_URL");
   expect_refused("DOKPLOY_SERVER_URL", "https://user:pw@dokploy.example.com", "credentials");
   expect_refused("DOKPLOY_API_TOKEN", "has space", "DOKPLOY_API_TOKEN");
   expect_refused("DOKPLOY_CA_CERT", "/nonexistent.pem", "DOKPLOY_CA_CERT");
   expect_refused("DOKPLOY_HTTP_RETRIES", "99", "DOKPLOY_HTTP_RETRIES");
}

TEST_F(OptionValues, TokenNeverAppearsInAConfigurationError) {
   auto options = this->options();
   options["DOKPLOY_API_TOKEN"] = "tok\x01secret-part";
   FakeHost host;
   BackendUnderTest backend(host, options);
   EXPECT_EQ(backend.made(), DPP_E_CONFIG);
   EXPECT_EQ(backend.made_message().find("secret-part"), std::string::npos);
}

}  // namespace
}  // namespace dpp::test::dokploy

// TLS to Dokploy: the emulator's certificate is accepted only with DOKPLOY_CA_CERT naming its CA;
// the system store and a wrong CA refuse it; the insecure mode works and says so loudly.
#include <gtest/gtest.h>

#include "dokploy_fixture.hpp"

namespace dpp::test::dokploy {
namespace {

class Tls : public DokployPluginTest {
 protected:
   EmulatorOptions emulator_options() const override {
      EmulatorOptions options;
      options.tls = true;
      return options;
   }
   std::map<std::string, std::string> tls_options(const std::map<std::string, std::string>& changes) {
      auto options = this->options();
      for (const auto& [name, value] : changes) options[name] = value;
      return options;
   }
};

TEST_F(Tls, CertificateSignedByTheConfiguredCaIsAccepted) {
   ASSERT_EQ(emulator().url().rfind("https://", 0), 0u) << emulator().url();
   TestSpec spec = host_like_spec("tls-ok");
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, tls_options({{"DOKPLOY_CA_CERT", emulator().ca_cert()}}));
   ASSERT_EQ(backend.made(), DPP_OK) << backend.made_message();
   std::vector<CheckLine> lines;
   const CallResult checked = backend.check(lines);
   EXPECT_TRUE(checked.ok()) << checked.message;
   for (const auto& line : lines)
      if (line.name == "TLS") {
         EXPECT_EQ(line.result, DPP_CHECK_PASS);
         DPP_EXPECT_CONTAINS(line.message, "DOKPLOY_CA_CERT");
      }
   const CallResult made = backend.create(spec);
   ASSERT_TRUE(made.ok()) << made.message;
   EXPECT_TRUE(backend.remove(spec.machine_id).ok());
}

TEST_F(Tls, SystemStoreDoesNotTrustTheEmulatorsCertificate) {
   TestSpec spec = host_like_spec("tls-system");
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, tls_options({}));
   std::vector<CheckLine> lines;
   const CallResult checked = backend.check(lines);
   EXPECT_EQ(checked.status, DPP_E_CONNECT);
   ASSERT_FALSE(lines.empty());
   EXPECT_EQ(lines[0].result, DPP_CHECK_FAIL);
   DPP_EXPECT_CONTAINS(lines[0].message, "TLS verification");
   DPP_EXPECT_CONTAINS(lines[0].fix, "DOKPLOY_CA_CERT");
   const CallResult made = backend.create(spec);
   EXPECT_EQ(made.status, DPP_E_CONNECT);
   DPP_EXPECT_CONTAINS(made.message, "unable to get local issuer certificate");
   EXPECT_TRUE(our_services(emulator()).empty());
}

TEST_F(Tls, CertificateOfAnotherCaIsRefused) {
   TestSpec spec = host_like_spec("tls-wrong");
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, tls_options({{"DOKPLOY_CA_CERT", emulator().wrong_ca_cert()}}));
   const CallResult made = backend.create(spec);
   EXPECT_EQ(made.status, DPP_E_CONNECT);
   DPP_EXPECT_CONTAINS(made.message, "TLS verification");
   EXPECT_TRUE(our_services(emulator()).empty());
}

TEST_F(Tls, HostNameOutsideTheCertificateIsRefused) {
   // "127.1" reaches 127.0.0.1 (the resolver reads it as an address), but as a name it is none
   // of those the certificate is issued for (127.0.0.1, 127.0.0.2, localhost).
   TestSpec spec = host_like_spec("tls-name");
   FakeHost& host = host_for(spec);
   std::string url = emulator().url();
   url.replace(url.find("127.0.0.1"), 9, "127.1");
   BackendUnderTest backend(
       host, tls_options({{"DOKPLOY_SERVER_URL", url}, {"DOKPLOY_CA_CERT", emulator().ca_cert()}}));
   const CallResult made = backend.create(spec);
   EXPECT_EQ(made.status, DPP_E_CONNECT) << made.message;
   DPP_EXPECT_CONTAINS(made.message, "TLS verification");
}

TEST_F(Tls, MissingCaFileIsAConfigurationError) {
   TestSpec spec = host_like_spec("tls-nofile");
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, tls_options({{"DOKPLOY_CA_CERT", "/nonexistent/ca.pem"}}));
   EXPECT_EQ(backend.made(), DPP_E_CONFIG);
   DPP_EXPECT_CONTAINS(backend.made_message(), "DOKPLOY_CA_CERT=/nonexistent/ca.pem");
}

TEST_F(Tls, InsecureModeWorksAndWarnsLoudly) {
   TestSpec spec = host_like_spec("tls-insecure");
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, tls_options({{"DOKPLOY_TLS_INSECURE", "true"}}));
   std::vector<CheckLine> lines;
   const CallResult checked = backend.check(lines);
   EXPECT_TRUE(checked.ok()) << checked.message;
   bool warned = false;
   for (const auto& line : lines) warned |= line.name == "TLS" && line.result == DPP_CHECK_WARN;
   EXPECT_TRUE(warned);
   const CallResult made = backend.create(spec);
   ASSERT_TRUE(made.ok()) << made.message;
   bool loud = false;
   for (const auto& line : host.logs())
      loud |= line.level == DPP_LOG_WARN && line.text.find("VERIFICATION IS OFF") != std::string::npos;
   EXPECT_TRUE(loud) << host.log_text();
}

class PlainHttp : public DokployPluginTest {};

TEST_F(PlainHttp, PlainHttpToAnotherHostWarnsThatTheTokenTravelsInClear) {
   TestSpec spec = host_like_spec("plain");
   FakeHost& host = host_for(spec);
   auto options = this->options();
   options["DOKPLOY_SERVER_URL"] = "http://192.0.2.1:9";  // TEST-NET-1: never answers
   options["DOKPLOY_CONNECT_TIMEOUT"] = "200";
   options["DOKPLOY_HTTP_RETRIES"] = "0";
   BackendUnderTest backend(host, options);
   const CallResult made = backend.create(spec);
   EXPECT_EQ(made.status, DPP_E_CONNECT);
   bool warned = false;
   for (const auto& line : host.logs())
      warned |= line.level == DPP_LOG_WARN && line.text.find("UNENCRYPTED") != std::string::npos;
   EXPECT_TRUE(warned) << host.log_text();
}

TEST_F(PlainHttp, PlainHttpToLoopbackIsQuiet) {
   TestSpec spec = host_like_spec("loopback");
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, options());
   std::vector<CheckLine> lines;
   EXPECT_TRUE(backend.check(lines).ok());
   for (const auto& line : host.logs()) EXPECT_LT(line.level, DPP_LOG_WARN) << line.text;
}

}  // namespace
}  // namespace dpp::test::dokploy

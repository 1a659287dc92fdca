// TLS through the real binary: the emulator's certificate is accepted with its CA; a certificate
// of another CA, or one issued for another name (made with the emulator's make-certs and served
// by `openssl s_server`), is refused before any request — so the token is never sent — unless
// DOKPLOY_TLS_INSECURE=true, which works and warns loudly. Plain http:// to a host that is not
// loopback warns that the token travels in clear.
#include <gmock/gmock.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>

#include "secrets_fixture.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::secrets {
namespace {

using ::testing::HasSubstr;

Emulator& tls_emulator() {
   static std::unique_ptr<Emulator> instance = [] {
      EmulatorOptions options;
      options.tls = true;
      return std::make_unique<Emulator>(options);
   }();
   return *instance;
}

// Waits until `address`:`port` accepts a connection; false when `server` exits first.
bool wait_until_listening(const std::string& address, int port, ChildProcess& server) {
   for (;;) {
      const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in to{};
      to.sin_family = AF_INET;
      to.sin_port = htons(static_cast<uint16_t>(port));
      ::inet_pton(AF_INET, address.c_str(), &to.sin_addr);
      const bool connected = ::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) == 0;
      ::close(fd);
      if (connected) return true;
      if (server.wait_for(std::chrono::milliseconds(20))) return false;
   }
}

EnvMap tls_environment(const std::string& url, const std::string& token) {
   EnvMap env = clean_environment();
   env["DOKPLOY_SERVER_URL"] = url;
   env["DOKPLOY_API_TOKEN"] = token;
   env["DOKPLOY_SSH_TRANSPORT"] = hostile_plugin();
   env["DOKPLOY_HTTP_RETRIES"] = "0";
   env["DOKPLOY_CONNECT_TIMEOUT"] = "2s";
   return env;
}

TEST(Tls, EmulatorsCertificateIsAcceptedWithItsCa) {
   EnvMap env = tls_environment(tls_emulator().url(), tls_emulator().token());
   env["DOKPLOY_CA_CERT"] = tls_emulator().ca_cert();
   const ProcessResult result = run_provider({"init"}, env);
   EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST(Tls, CertificateOfAnotherCaIsRefusedBeforeAnyRequest) {
   tls_emulator().clear_requests();
   EnvMap env = tls_environment(tls_emulator().url(), tls_emulator().token());
   env["DOKPLOY_CA_CERT"] = tls_emulator().wrong_ca_cert();
   const ProcessResult result = run_provider({"init"}, env);
   EXPECT_NE(result.exit_code, 0);
   EXPECT_THAT(result.err + result.out, HasSubstr("TLS verification"));
   EXPECT_TRUE(tls_emulator().api_requests().empty()) << "a request got through an unverified connection";
}

TEST(Tls, SystemTrustStoreDoesNotTrustTheEmulator) {
   tls_emulator().clear_requests();
   const ProcessResult result = run_provider({"init"}, tls_environment(tls_emulator().url(), tls_emulator().token()));
   EXPECT_NE(result.exit_code, 0);
   EXPECT_TRUE(tls_emulator().api_requests().empty());
}

TEST(Tls, CertificateForAnotherNameIsRefusedAndInsecureModeWarnsLoudly) {
   if (!hostile::file_exists("/usr/bin/openssl")) DPP_SKIP("openssl is not installed");
   TempDir dir("dpp-secret-tls");
   // A certificate for "other.example" signed by a CA we then trust.
   const ProcessResult made = run_process(
       {.argv = {python(), emulator_script(), "make-certs", dir.file("certs"), "--host", "other.example"}});
   ASSERT_EQ(made.exit_code, 0) << made.err;
   // make-certs always names 127.0.0.1, 127.0.0.2 and localhost: serve it on 127.0.0.3, a loopback
   // address the certificate does not name.
   const std::string address = "127.0.0.3";
   const int port = free_tcp_port(address);
   ChildProcess server({.argv = {"/usr/bin/openssl", "s_server", "-quiet", "-accept", address + ":" + std::to_string(port),
                                 "-cert", dir.file("certs/server.pem"), "-key", dir.file("certs/server.key"), "-www"}},
                       dir.file("s_server.log"));
   ASSERT_TRUE(wait_until_listening(address, port, server)) << "openssl s_server did not start";
   const std::string url = "https://" + address + ":" + std::to_string(port);
   const std::string token = "tls-test-token-" + random_hex(8);

   EnvMap env = tls_environment(url, token);
   env["DOKPLOY_CA_CERT"] = dir.file("certs/ca.pem");
   const ProcessResult checked = run_provider({"init"}, env);
   EXPECT_NE(checked.exit_code, 0) << checked.err;
   EXPECT_THAT(checked.err + checked.out, HasSubstr("TLS verification"));

   env["DOKPLOY_TLS_INSECURE"] = "true";
   const ProcessResult insecure = run_provider({"init"}, env);
   EXPECT_THAT(insecure.err + insecure.out, HasSubstr("VERIFICATION IS OFF")) << insecure.err;
   // Whatever s_server answered, it is not Dokploy: the run fails, but past TLS.
   EXPECT_EQ((insecure.err + insecure.out).find("TLS verification failed"), std::string::npos) << insecure.err;
   EXPECT_EQ(insecure.err.find(token), std::string::npos);
   server.stop();
}

TEST(Tls, PlainHttpToAnotherHostWarnsThatTheTokenTravelsInClear) {
   // TEST-NET-1 never answers: the warning comes before the connection fails.
   const ProcessResult result = run_provider({"init"}, tls_environment("http://192.0.2.1:9", "plain-http-token"));
   EXPECT_NE(result.exit_code, 0);
   EXPECT_THAT(result.err + result.out, HasSubstr("UNENCRYPTED"));
}

TEST(Tls, PlainHttpToLoopbackIsQuiet) {
   emulator().reset();
   const ProcessResult result = run_provider({"init"}, tls_environment(emulator().url(), emulator().token()));
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ((result.err + result.out).find("UNENCRYPTED"), std::string::npos);
}

}  // namespace
}  // namespace dpp::test::secrets

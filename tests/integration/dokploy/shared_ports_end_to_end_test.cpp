// Shared ports end to end: the real dokploy-provider makes a workspace with DOKPLOY_EXPOSE_PORTS
// against the emulator, whose Traefik (on ports 80 and 443 of a loopback address of its own)
// routes each address's Host to the real Debian workspace; an app started there over `command`
// answers through it, `doctor` finds it answering, and `delete` takes the addresses away.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <memory>

#include "provider_run.hpp"
#include "support/child_process.hpp"
#include "support/emulator.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace dpp::test {
namespace {

Emulator& traefik_emulator() {
   static std::unique_ptr<Emulator> emulator = [] {
      EmulatorOptions options;
      options.runner = "workspace";
      options.tls = true;  // DOKPLOY_CA_CERT then names the CA that signs the addresses' certificates too
      options.traefik = EmulatorOptions::Traefik::standard_ports;
      options.queue_delay_ms = 100;
      options.deploy_duration_ms = 100;
      return std::make_unique<Emulator>(options);
   }();
   return *emulator;
}

// A web app in the workspace: Perl (perl-base is in every Debian) answering each request with
// the port and the request line, started detached so that it outlives the `command` session.
std::string start_responder(uint16_t port) {
   const std::string program =
       "use IO::Socket::INET; my $s = IO::Socket::INET->new(LocalPort => " + std::to_string(port) +
       ", Listen => 8, ReuseAddr => 1) or die $!; while (my $c = $s->accept) { my $r = <$c>; "
       "while (my $l = <$c>) { last if $l =~ /^\\r?\\n$/ } $r =~ s/\\r?\\n$//; print $c \"HTTP/1.0 200 "
       "OK\\r\\n"
       "Content-Type: text/plain\\r\\n\\r\\nport " +
       std::to_string(port) + " answers $r\\n\"; close $c }";
   return "setsid -f perl -e '" + program + "' </dev/null >/dev/null 2>&1; echo started";
}

struct Case {
   std::string kind;
   std::string https;  // DOKPLOY_EXPOSE_HTTPS
};

void PrintTo(const Case& c, std::ostream* out) {
   *out << c.kind << " with DOKPLOY_EXPOSE_HTTPS=" << c.https;
}

class SharedPortsEndToEnd : public ::testing::TestWithParam<Case> {
 protected:
   void SetUp() override {
      const std::string missing = missing_workspace_requirement({"/usr/bin/curl", "/usr/bin/unshare"});
      if (!missing.empty()) DPP_SKIP(missing);
      emulator_ = &traefik_emulator();
      emulator_->reset();
      machine_ = "share-" + GetParam().kind.substr(0, 3);
      hosts_.write("hosts", "127.0.0.1 localhost\n" + emulator_->traefik().address + " web-" + machine_ +
                                ".dev.test api-" + machine_ + ".dev.test\n");
   }
   void TearDown() override {
      if (!emulator_) return;
      for (const auto& entry : emulator_->schema_errors())
         ADD_FAILURE() << "a request failed Dokploy's schema: " << entry.dump();
   }

   EnvMap environment() const {
      EnvMap env = provider_environment(*emulator_, GetParam().kind, machine_, machine_folder_.path());
      env["DOKPLOY_SSH_PORT_RANGE"] = "42300-42399";
      env["DOKPLOY_EXPOSE_PORTS"] = "3000:web,8080:api";
      env["DOKPLOY_EXPOSE_DOMAIN"] = "dev.test";
      env["DOKPLOY_EXPOSE_HTTPS"] = GetParam().https;
      return env;
   }

   // `verb` of the real provider; `resolving`: with /etc/hosts naming the addresses (in a mount
   // namespace of its own), as DNS would for a real server.
   ProcessResult provider(const std::string& verb, EnvMap extra = {}, bool resolving = false) {
      EnvMap env = environment();
      for (auto& [name, value] : extra) env[name] = value;
      std::vector<std::string> argv = {provider_path(), verb};
      if (resolving)
         argv.insert(argv.begin(),
                     {"/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                      "mount --bind \"$0\" /etc/hosts && exec \"$@\"", hosts_.file("hosts")});
      return run_verb(argv, env, verb, emulator_->token());
   }

   // GET through the emulated Traefik, as a browser elsewhere would (curl resolves the name to
   // Traefik's address itself): "<HTTP status> <body>".
   std::string fetch(const std::string& url) const {
      const bool secure = url.rfind("https://", 0) == 0;
      const std::string host = url.substr(url.find("://") + 3);
      const std::string resolve = host + ":" + (secure ? "443" : "80") + ":" + emulator_->traefik().address;
      ProcessResult result =
          run_process({.argv = {"/usr/bin/curl", "-sS", "--max-time", "20", "--resolve", resolve, "--cacert",
                                emulator_->traefik().ca_cert, "-w", "\\n%{http_code}", url + "/"}});
      // -w writes the status after the body.
      const auto cut = result.out.rfind('\n');
      if (cut == std::string::npos) return result.out + result.err;
      return result.out.substr(cut + 1) + " " + result.out.substr(0, cut) +
             (result.err.empty() ? "" : result.err);
   }

   Emulator* emulator_ = nullptr;
   std::string machine_;
   TempDir machine_folder_{"dpp-shared-machine"};
   TempDir hosts_{"dpp-shared-hosts"};
};

TEST_P(SharedPortsEndToEnd, TheAppAnswersAtItsAddressesUntilTheWorkspaceIsDeleted) {
   const bool https = GetParam().https != "none";
   const std::string scheme = https ? "https://" : "http://";
   const std::string web = scheme + "web-" + machine_ + ".dev.test";
   const std::string api = scheme + "api-" + machine_ + ".dev.test";

   ProcessResult result = provider("init");
   ASSERT_EQ(result.exit_code, 0) << result.err;

   result = provider("create");
   ASSERT_EQ(result.exit_code, 0) << result.err << "\n" << emulator_->log().substr(0, 4000);
   std::printf("--- what `create` shows (stderr) ---\n%s--- end ---\n", result.err.c_str());
   EXPECT_NE(result.err.find("port 3000 is shared at " + web), std::string::npos) << result.err;
   EXPECT_NE(result.err.find("port 8080 is shared at " + api), std::string::npos) << result.err;

   EXPECT_EQ(fetch(web).substr(0, 3), "502") << "Traefik routes the address, nothing listens yet";
   for (const uint16_t port : {3000, 8080}) {
      result = provider("command", {{"COMMAND", start_responder(port)}});
      ASSERT_EQ(result.exit_code, 0) << result.err;
   }
   EXPECT_EQ(fetch(web), "200 port 3000 answers GET / HTTP/1.1\n");
   EXPECT_EQ(fetch(api), "200 port 8080 answers GET / HTTP/1.1\n");
   if (https) {
      EXPECT_EQ(fetch("http://web-" + machine_ + ".dev.test").substr(0, 3), "301");
   }

   result = provider("doctor", {}, /*resolving=*/true);
   std::printf("--- doctor ---\n%s%s--- end ---\n", result.out.c_str(), result.err.c_str());
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_NE(result.out.find(web + " answers (HTTP 200"), std::string::npos) << result.out;
   EXPECT_NE(result.out.find(api + " answers (HTTP 200"), std::string::npos) << result.out;

   result = provider("delete");
   ASSERT_EQ(result.exit_code, 0) << result.err;
   EXPECT_TRUE(emulator_->domains().empty());
   EXPECT_EQ(fetch("http://web-" + machine_ + ".dev.test").substr(0, 3), "404") << "no router is left";
}

INSTANTIATE_TEST_SUITE_P(Dokploy, SharedPortsEndToEnd,
                         ::testing::Values(Case{"compose", "emulator-ca"}, Case{"application", "none"}),
                         [](const ::testing::TestParamInfo<Case>& param) { return param.param.kind; });

}  // namespace
}  // namespace dpp::test

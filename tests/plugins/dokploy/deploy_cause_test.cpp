// A failed deploy says why: the end of Dokploy's own log of it (deployment.readLogs), bounded,
// printable and without secrets; where Dokploy has no such procedure, where the log is.
#include <gtest/gtest.h>

#include "dokploy_fixture.hpp"

namespace dpp::test::dokploy {
namespace {

const std::string kUnpullable = "registry.invalid/nope:1";

std::vector<std::string> lines_of(const std::string& text) {
   std::vector<std::string> lines;
   for (std::size_t start = 0; start <= text.size();) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      lines.push_back(text.substr(start, end - start));
      start = end + 1;
   }
   return lines;
}

// UTF-8 code points of `text`.
std::size_t characters(const std::string& text) {
   std::size_t count = 0;
   for (unsigned char c : text) count += (c & 0xC0) != 0x80;
   return count;
}

class DeployCause : public DokployPluginTest {
 protected:
   CallResult create(TestSpec spec, const std::string& kind) {
      FakeHost& host = host_for(spec);
      auto options = this->options();
      options["DOKPLOY_SERVICE_TYPE"] = kind;
      BackendUnderTest backend(host, options);
      return backend.create(spec);
   }
   static TestSpec unpullable(const std::string& machine_id) {
      TestSpec spec = host_like_spec(machine_id);
      spec.image = kUnpullable;
      spec.flags = 0;
      return spec;
   }
};

TEST_F(DeployCause, ImagePullFailureOfAnApplicationShowsTheEndOfDokploysLog) {
   const CallResult result = create(unpullable("pull-app"), "application");
   EXPECT_EQ(result.status, DPP_E_REMOTE);
   const std::vector<std::string> lines = lines_of(result.message);
   ASSERT_EQ(lines.size(), 4u) << result.message;
   DPP_EXPECT_CONTAINS(lines[0], "the deploy of 'devpod-pull-app (ssh ");
   DPP_EXPECT_CONTAINS(lines[0], "' failed (Swarm shows no task for it); its log in Dokploy ends with:");
   EXPECT_EQ(lines[1], "Pulling " + kUnpullable);
   EXPECT_EQ(lines[2],
             "Error response from daemon: Get \"https://registry.invalid/v2/\": dial tcp: lookup "
             "registry.invalid on 127.0.0.53:53: no such host");
   EXPECT_EQ(lines[3], "❌ Pulling image failed");
   EXPECT_TRUE(our_services(emulator()).empty()) << "a failed create leaves nothing behind";
}

TEST_F(DeployCause, ImagePullFailureOfAComposeServiceShowsComposesOutput) {
   const CallResult result = create(unpullable("pull-com"), "compose");
   EXPECT_EQ(result.status, DPP_E_REMOTE);
   DPP_EXPECT_CONTAINS(result.message, "its log in Dokploy ends with:\n");
   DPP_EXPECT_CONTAINS(result.message, "lookup registry.invalid on 127.0.0.53:53: no such host\n");
   DPP_EXPECT_CONTAINS(result.message, "\nError: ❌ Docker command failed");
   // Dokploy's banner and its generic closing lines say nothing about the cause.
   EXPECT_EQ(result.message.find("║"), std::string::npos) << result.message;
   EXPECT_EQ(result.message.find("check the logs for details"), std::string::npos) << result.message;
   EXPECT_TRUE(our_services(emulator()).empty());
}

TEST_F(DeployCause, DokployWithoutReadLogsGetsWhereTheLogIs) {
   emulator().set_version("v0.24.3");
   const CallResult result = create(unpullable("pull-old"), "application");
   EXPECT_EQ(result.status, DPP_E_REMOTE);
   DPP_EXPECT_CONTAINS(result.message,
                       "Dokploy v0.24.3 has no deployment.readLogs to give its log; read it in Dokploy: " +
                           emulator().url() + "/dashboard/project/");
   DPP_EXPECT_CONTAINS(result.message, "/services/application/");
   DPP_EXPECT_CONTAINS(result.message, "?tab=deployments");
   EXPECT_EQ(emulator().api_requests("deployment.readLogs").size(), 1u);
   EXPECT_TRUE(our_services(emulator()).empty());
}

TEST_F(DeployCause, TheLogIsShownBoundedPrintableAndWithoutSecrets) {
   TestSpec spec = host_like_spec("noisy");
   std::string host_key, password_hash;
   for (const auto& [name, value] : spec.env) {
      if (name == "DPP_SSH_HOST_KEY") host_key = value;
      if (name == "DPP_SSH_PASSWORD_HASH") password_hash = value;
   }
   const std::string unrelated_key = "AAAAC3NzaC1lZDI1NTE5AAAAIPq7Qm3x9Vb2Lk8Jd4Hs6Tg1Rf5Yw0Ne";
   std::string output;
   for (int i = 1; i <= 30; ++i) output += "step " + std::to_string(i) + " of the failing command\n";
   output += "3f4ca61aafcd: Downloading [=====>     ]  1.2MB/30MB\n";
   std::string compose_escaped;  // how Compose files spell it
   for (char c : password_hash) compose_escaped += c == '$' ? std::string("$$") : std::string(1, c);
   output += "\x1b[31mvalue was " + host_key + "\x1b[0m and " + compose_escaped + "\n";
   output += "progress 10%\rprogress 100%\r\n";
   output += "key " + unrelated_key + " rejected, token " + emulator().token() + "\n";
   output += std::string(300, 'x') + "\n\n\n";
   emulator().add_fault(
       {{"procedure", "compose.deploy"}, {"nth", 1}, {"action", {{"deploy_error", output}}}});
   const CallResult result = create(spec, "compose");
   EXPECT_EQ(result.status, DPP_E_REMOTE);
   const std::vector<std::string> lines = lines_of(result.message);
   ASSERT_EQ(lines.size(), 13u) << "a header and the last 12 lines: " << result.message;
   for (std::size_t i = 1; i < lines.size(); ++i) {
      EXPECT_LE(characters(lines[i]), 201u) << lines[i];
      for (unsigned char c : lines[i]) EXPECT_GE(c, 0x20) << "a control character in: " << lines[i];
   }
   EXPECT_EQ(lines[1], "step 24 of the failing command");
   EXPECT_EQ(lines[7], "step 30 of the failing command");
   EXPECT_EQ(lines[8], "value was <redacted> and <redacted>") << "the environment's values are secrets";
   EXPECT_EQ(lines[9], "progress 100%");
   EXPECT_EQ(lines[10], "key <redacted> rejected, token <redacted>")
       << "random-looking runs are key material";
   EXPECT_EQ(lines[11], std::string(200, 'x') + "…");
   EXPECT_EQ(lines[12], "Error: ❌ Docker command failed");
   EXPECT_EQ(result.message.find("Downloading"), std::string::npos)
       << "docker pull's layer progress is noise";
   for (const std::string& secret :
        {host_key, password_hash.substr(12, 40), compose_escaped, unrelated_key, emulator().token()})
      EXPECT_EQ(result.message.find(secret), std::string::npos) << secret;
   EXPECT_TRUE(our_services(emulator()).empty());
}

TEST_F(DeployCause, StartWhoseRedeployFailsSaysWhy) {
   TestSpec spec = host_like_spec("restart");
   spec.flags = 0;
   FakeHost& host = host_for(spec);
   auto options = this->options();
   options["DOKPLOY_SERVICE_TYPE"] = "application";
   BackendUnderTest backend(host, options);
   ASSERT_TRUE(backend.create(spec).ok());
   // The workspace stops answering, so start deploys it again; that deploy fails.
   host.endpoint_check = [](const std::string&, uint16_t, const std::string&, std::string& message) {
      message = "connection refused";
      return DPP_E_CONNECT;
   };
   emulator().add_fault(
       {{"procedure", "application.deploy"},
        {"nth", 1},
        {"action", {{"deploy_error", "Cannot start service workspace: operation not permitted"}}}});
   const CallResult result = backend.start(spec);
   EXPECT_EQ(result.status, DPP_E_REMOTE);
   DPP_EXPECT_CONTAINS(result.message, "' failed");
   DPP_EXPECT_CONTAINS(result.message,
                       "its log in Dokploy ends with:\nPulling cruizba/ubuntu-dind:latest\n"
                       "Cannot start service workspace: operation not permitted");
   EXPECT_EQ(our_services(emulator()).size(), 1u) << "start never deletes the workspace";
   EXPECT_TRUE(backend.remove(spec.machine_id).ok());
}

}  // namespace
}  // namespace dpp::test::dokploy

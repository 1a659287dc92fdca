// The API token never leaves the plugin except in the x-api-key header, and values that are hard
// to carry ($6$ hashes, shell metacharacters, quotes, line breaks, YAML's special characters)
// reach the workspace unchanged and cannot inject anything.
#include <gtest/gtest.h>

#include "dokploy_fixture.hpp"

namespace dpp::test::dokploy {
namespace {

class Secrets : public DokployPluginTest {};

const std::vector<std::pair<std::string, std::string>>& nasty_values() {
   static const std::vector<std::pair<std::string, std::string>> values = {
       {"V_CRYPT", "$6$rounds=5000$saltsalt$Yq3bK9.aZ/0123456789abcdefghij"},
       {"V_DOLLARS", "$HOME ${HOME} $$ $ ${UNSET:-default} ${X:?boom} $(id) `id`"},
       {"V_QUOTES", "single ' double \" back ` mixed '\"`"},
       {"V_SHELL", "; rm -rf / | cat & echo > /tmp/x < /etc/passwd && || # comment"},
       {"V_LINES", "line one\nline two\n\n  indented: yes\n- list item\n"},
       {"V_YAML", "key: value\n  privileged: true\n\"}: [ ] { } & * ! | > ' % @ -- ..."},
       {"V_ESCAPES", "back\\slash \\n \\t \\\" \\u0041 tab\there"},
       {"V_UNICODE", "Grüße ✓ 日本 \xF0\x9F\x9A\x80 nel\xC2\x85 ls\xE2\x80\xA8 bom\xEF\xBB\xBF"},
       {"V_EMPTY", ""},
       {"V_SPACES", "  leading and trailing  "},
       {"V_DOTENV", "A=B\nexport C=D # not a comment"},
   };
   return values;
}

std::map<std::string, std::string> env_of(const nlohmann::json& workspace) {
   std::map<std::string, std::string> env;
   for (const auto& pair : workspace["spec"]["env"])
      env[pair[0].get<std::string>()] = pair[1].get<std::string>();
   return env;
}

TEST_F(Secrets, HardValuesArriveIntactThroughComposeInterpolation) {
   TestSpec spec = host_like_spec("nasty-compose");
   for (const auto& value : nasty_values()) spec.env.push_back(value);
   spec.command = {"/bin/sh", "-c",
                   "echo \"$V_DOLLARS\" '$HOME' $$ ${A:-b} \"quoted \\\"x\\\"\"\nsecond line"};
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, options());
   const CallResult result = backend.create(spec);
   ASSERT_TRUE(result.ok()) << result.message;
   const auto ours = our_services(emulator());
   ASSERT_EQ(ours.size(), 1u);
   const nlohmann::json workspace = workspace_of(emulator(), ours[0].value("appName", ""));
   const auto env = env_of(workspace);
   for (const auto& [name, value] : spec.env) {
      ASSERT_TRUE(env.count(name)) << name;
      EXPECT_EQ(env.at(name), value) << name;
   }
   // The backend adds only the workspace's own identity (for auto-stop), never anything from a value.
   EXPECT_EQ(env.size(), spec.env.size() + 2) << "nothing may add variables";
   EXPECT_EQ(env.at("DPP_DOKPLOY_SERVICE_KIND"), "compose");
   EXPECT_EQ(env.at("DPP_DOKPLOY_SERVICE_ID"), ours[0].value("composeId", ""));
   std::vector<std::string> argv;
   for (const auto& part : workspace["spec"]["entrypoint"]) argv.push_back(part.get<std::string>());
   EXPECT_EQ(argv, spec.command);
   EXPECT_TRUE(workspace["spec"]["command"].is_null());
   EXPECT_EQ(workspace["spec"]["volumes"].size(), 2u) << "no value may add a mount";
   EXPECT_EQ(workspace["spec"]["ports"].size(), 1u) << "no value may add a port";
}

TEST_F(Secrets, NothingInTheSpecCanMakeTheWorkspacePrivileged) {
   TestSpec spec = host_like_spec("no-priv");
   spec.flags = 0;
   spec.env.emplace_back("V_INJECT", "x\"\n    privileged: true\n    ports: [\"22:22\"]\n#");
   spec.volumes = {{"home", "/home/devpod\" privileged: true # ${X} $$"}};
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, options());
   const CallResult result = backend.create(spec);
   ASSERT_TRUE(result.ok()) << result.message;
   const auto ours = our_services(emulator());
   const nlohmann::json workspace = workspace_of(emulator(), ours[0].value("appName", ""));
   EXPECT_FALSE(workspace["spec"].value("privileged", true));
   EXPECT_EQ(workspace["spec"]["ports"].size(), 1u);
   EXPECT_EQ(env_of(workspace).at("V_INJECT"), spec.env.back().second);
   ASSERT_EQ(workspace["spec"]["volumes"].size(), 1u);
   EXPECT_EQ(workspace["spec"]["volumes"][0].value("target", ""), spec.volumes[0].second);
}

TEST_F(Secrets, MountPathsWithLineBreaksAreRefused) {
   TestSpec spec = host_like_spec("bad-mount");
   spec.volumes = {{"home", "/home/devpod\nprivileged: true"}};
   FakeHost& host = host_for(spec);
   BackendUnderTest backend(host, options());
   const CallResult result = backend.create(spec);
   EXPECT_EQ(result.status, DPP_E_INVALID_ARGUMENT);
   DPP_EXPECT_CONTAINS(result.message, "volume home");
   EXPECT_TRUE(our_services(emulator()).empty());
}

TEST_F(Secrets, HardValuesArriveIntactThroughDokploysDotenv) {
   for (const std::string version : {"v0.24.3", "v0.30.2"}) {
      emulator().reset();
      emulator().set_version(version);
      TestSpec spec = host_like_spec("nasty-app");
      spec.flags = 0;
      for (const auto& value : nasty_values())
         if (value.first != "V_QUOTES") spec.env.push_back(value);  // all three quotes: see below
      spec.command = {"/bin/sh", "-c", "echo 'it''s' \"$HOME\" $$ `id`\nexit 0"};
      FakeHost& host = host_for(spec);
      auto options = this->options();
      options["DOKPLOY_SERVICE_TYPE"] = "application";
      BackendUnderTest backend(host, options);
      const CallResult result = backend.create(spec);
      ASSERT_TRUE(result.ok()) << version << ": " << result.message;
      const auto ours = our_services(emulator());
      const nlohmann::json workspace = workspace_of(emulator(), ours[0].value("appName", ""));
      const auto env = env_of(workspace);
      for (const auto& [name, value] : spec.env) {
         ASSERT_TRUE(env.count(name)) << version << " " << name;
         EXPECT_EQ(env.at(name), value) << version << " " << name;
      }
   }
}

TEST_F(Secrets, ValueDokploysDotenvCannotCarryIsRefusedBeforeAnythingIsMade) {
   TestSpec spec = host_like_spec("uncarriable");
   spec.flags = 0;
   spec.env.emplace_back("V_QUOTES", "single ' double \" back `");
   FakeHost& host = host_for(spec);
   auto options = this->options();
   options["DOKPLOY_SERVICE_TYPE"] = "application";
   BackendUnderTest backend(host, options);
   const CallResult result = backend.create(spec);
   EXPECT_EQ(result.status, DPP_E_CONFIG);
   DPP_EXPECT_CONTAINS(result.message, "V_QUOTES");
   DPP_EXPECT_CONTAINS(result.message, "DOKPLOY_SERVICE_TYPE=compose");
   EXPECT_TRUE(our_services(emulator()).empty());
}

TEST_F(Secrets, TokenIsNeverStoredInDokployNorLoggedAtAnyLevel) {
   for (const std::string kind : {"compose", "application"}) {
      TestSpec spec = host_like_spec("tok-" + kind.substr(0, 3));
      if (kind == "application") spec.flags = 0;
      FakeHost& host = host_for(spec);
      auto options = this->options();
      options["DOKPLOY_SERVICE_TYPE"] = kind;
      BackendUnderTest backend(host, options);
      ASSERT_TRUE(backend.create(spec).ok());
      ASSERT_TRUE(backend.status(spec.machine_id).ok());
      std::vector<CheckLine> lines;
      backend.check(lines);
      const std::string token = emulator().token();
      EXPECT_EQ(emulator().state().dump().find(token), std::string::npos) << kind;
      EXPECT_EQ(emulator().requests().dump().find(token), std::string::npos) << kind;
      EXPECT_EQ(host.log_text().find(token), std::string::npos) << kind;
      for (const auto& [key, value] : host.state()) EXPECT_EQ(value.find(token), std::string::npos) << key;
      for (const auto& line : lines) EXPECT_EQ((line.message + line.fix).find(token), std::string::npos);
      // Every request carried it in the header, and only there.
      for (const auto& entry : emulator().api_requests()) {
         if (entry.value("procedure", "") != "health") {
            EXPECT_TRUE(entry.value("api_key_present", false)) << entry.dump();
         }
      }
   }
   // A refused token does not show up in the error either.
   TestSpec spec = host_like_spec("tok-bad");
   FakeHost& host = host_for(spec);
   auto options = this->options();
   options["DOKPLOY_API_TOKEN"] = "secret-looking-token-1234";
   BackendUnderTest backend(host, options);
   const CallResult result = backend.create(spec);
   EXPECT_EQ(result.status, DPP_E_AUTH);
   EXPECT_EQ(result.message.find("secret-looking-token-1234"), std::string::npos);
   EXPECT_EQ(host.log_text().find("secret-looking-token-1234"), std::string::npos);
}

}  // namespace
}  // namespace dpp::test::dokploy

// `dokploy-provider plugins`: every plugin found with its kinds and the options it declares
// through the ABI (text for people, JSON for scripts); broken or unsafe plugin files listed with
// the reason; DOKPLOY_PLUGIN_PATH adding folders and files.
#include <gmock/gmock.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "cli_fixture.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::cli {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

json parse(const std::string& text) {
   json document = json::parse(text, nullptr, false);
   EXPECT_FALSE(document.is_discarded()) << "not JSON:\n" << text;
   return document;
}

const json* find_by(const json& array, const std::string& key, const std::string& value) {
   for (const auto& item : array)
      if (item.value(key, "") == value) return &item;
   return nullptr;
}

TEST_F(CliTest, JsonListingDescribesTheHostAndEachPluginWithItsOptions) {
   const auto result = run({"plugins", "--output", "json"});
   ASSERT_EQ(result.exit_code, 0) << result.err;
   const json document = parse(result.out);
   EXPECT_EQ(document["host"]["abi"], "1.0");
   ASSERT_NE(find_by(document["host"]["options"], "name", "DOKPLOY_MEMORY_LIMIT"), nullptr);
   EXPECT_EQ((*find_by(document["host"]["options"], "name", "DOKPLOY_MEMORY_LIMIT"))["type"], "size");
   EXPECT_EQ(document["failed"], json::array());

   const json* fake = find_by(document["plugins"], "id", "test.fake");
   ASSERT_NE(fake, nullptr) << result.out;
   EXPECT_EQ((*fake)["version"], "0.0.1");
   EXPECT_EQ((*fake)["kinds"], json({"backend", "transport", "auth"}));
   EXPECT_EQ((*fake)["abi"], "1.0");
   EXPECT_EQ((*fake)["file"], plugin_folder() + "/dpp-test.fake.so");

   const json& options = (*fake)["options"];
   ASSERT_EQ(options.size(), 9u);
   const json* project = find_by(options, "name", "FAKE_PROJECT");
   ASSERT_NE(project, nullptr);
   EXPECT_EQ((*project)["required"], true);
   EXPECT_EQ((*project)["default"], nullptr);
   EXPECT_EQ((*project)["group"], "connection");
   EXPECT_EQ((*project)["description"], "Project the fake workspaces belong to.");
   const json* token = find_by(options, "name", "FAKE_TOKEN");
   ASSERT_NE(token, nullptr);
   EXPECT_EQ((*token)["secret"], true);
   const json* state = find_by(options, "name", "FAKE_STATE");
   ASSERT_NE(state, nullptr);
   EXPECT_EQ((*state)["type"], "enum");
   EXPECT_EQ((*state)["default"], "recorded");
   EXPECT_EQ((*state)["values"], json({"recorded", "running", "busy", "stopped", "failed", "not-found"}));
   EXPECT_EQ((*find_by(options, "name", "FAKE_PORT"))["type"], "port");
}

TEST_F(CliTest, TextListingShowsEachOptionWithItsTypeFlagsAndDefault) {
   const auto result = run({"plugins"});
   ASSERT_EQ(result.exit_code, 0) << result.err;
   EXPECT_THAT(result.out, HasSubstr("test.fake 0.0.1  kind: backend,transport,auth  ABI 1.0"));
   EXPECT_THAT(
       result.out,
       HasSubstr("    FAKE_PROJECT (string, required)\n        Project the fake workspaces belong to."));
   EXPECT_THAT(result.out, HasSubstr("    FAKE_TOKEN (string, secret)"));
   EXPECT_THAT(result.out, HasSubstr("    FAKE_PORT (port, default 2222)"));
}

TEST_F(CliTest, ListingNeedsNoMachineAndNoOptions) {
   const auto result = run(
       {"plugins", "--output", "json"},
       {{"MACHINE_ID", std::nullopt}, {"FAKE_PROJECT", std::nullopt}, {"DOKPLOY_BACKEND", "not-installed"}});
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_FALSE(parse(result.out).is_discarded());
}

TEST_F(CliTest, ListingNeverShowsASecretsValue) {
   const auto result = run({"-vv", "plugins"}, {{"FAKE_TOKEN", "tok-7a7a-listing"}});
   EXPECT_THAT(result.out + result.err, ::testing::Not(HasSubstr("tok-7a7a-listing")));
}

TEST_F(CliTest, PluginPathAddsAFolderAndAFile) {
   const std::string in_folder = copy_plugin(DPP_CLI_FAKE_PLUGIN, "folder", "dpp-test.fake.so");
   const std::string as_file = copy_plugin(DPP_CLI_FAKE_PLUGIN, "files", "renamed.so");
   // The same plugin three times: the copies are reported with the file that has the id first.
   const auto result =
       run({"plugins", "--output", "json"}, {{"DOKPLOY_PLUGIN_PATH", dir_.file("folder") + ":" + as_file}});
   EXPECT_EQ(result.exit_code, 1);
   const json document = parse(result.out);
   EXPECT_EQ(document["plugins"].size(), 1u);
   ASSERT_EQ(document["failed"].size(), 2u) << result.out;
   EXPECT_NE(find_by(document["failed"], "file", in_folder), nullptr);
   EXPECT_NE(find_by(document["failed"], "file", as_file), nullptr);
}

TEST_F(CliTest, PluginChosenByFilePathIsUsedBesideAnotherWithTheSameId) {
   const std::string file = copy_plugin(DPP_CLI_FAKE_PLUGIN, "extra", "dpp-other-name.so");
   const auto result = run(
       {"status"},
       {{"DOKPLOY_BACKEND", file}, {"FAKE_STATE", "stopped"}, {"DOKPLOY_PLUGIN_PATH", dir_.file("extra")}});
   EXPECT_EQ(result.exit_code, 0) << result.err;
   EXPECT_EQ(result.out, "Stopped\n");
}

TEST_F(CliTest, BrokenPluginIsListedWithItsReasonAndTheRestStillWorks) {
   const std::string broken = copy_plugin(DPP_CLI_BROKEN_PLUGIN, "extra", "dpp-broken.so");
   const auto result = run({"plugins", "--output", "json"}, {{"DOKPLOY_PLUGIN_PATH", dir_.file("extra")}});
   EXPECT_EQ(result.exit_code, 1);
   const json document = parse(result.out);
   EXPECT_NE(find_by(document["plugins"], "id", "test.fake"), nullptr);
   const json* failed = find_by(document["failed"], "file", broken);
   ASSERT_NE(failed, nullptr) << result.out;
   EXPECT_THAT((*failed)["error"].get<std::string>(),
               HasSubstr("was built for ABI 2.0 but this host implements ABI 1.0"));
   // And a verb that does not need the broken plugin is not disturbed by it.
   const auto status = run({"status"}, {{"DOKPLOY_PLUGIN_PATH", dir_.file("extra")}, {"FAKE_STATE", "busy"}});
   EXPECT_EQ(status.exit_code, 0) << status.err;
   EXPECT_EQ(status.out, "Busy\n");
}

TEST_F(CliTest, OptionDeclaredByABackendAndATransportIsWarnedAboutSayingNeitherWins) {
   // test.c-shares (a backend) declares FAKE_DISK, as test.fake (a backend, transport and auth) does.
   copy_plugin(DPP_CLI_SHARING_PLUGIN, "extra", "dpp-test.c-shares.so");
   const EnvChanges path = {{"DOKPLOY_PLUGIN_PATH", dir_.file("extra")}};
   const std::string warning =
       "FAKE_DISK is declared by test.fake (backend, transport, auth) and test.c-shares (backend): a run "
       "that loads both stops with a configuration error (neither wins); one of them must rename it";

   const auto text = run({"plugins"}, path);
   EXPECT_EQ(text.exit_code, 0) << text.err;
   EXPECT_THAT(text.out, HasSubstr("\nwarning: " + warning + "\n"));

   const auto listing = run({"plugins", "--output", "json"}, path);
   const json document = parse(listing.out);
   ASSERT_EQ(document["option_overlaps"].size(), 1u) << listing.out;
   const json& overlap = document["option_overlaps"][0];
   EXPECT_EQ(overlap["name"], "FAKE_DISK");
   EXPECT_EQ(overlap["declared_by"], json({"test.fake", "test.c-shares"}));
   EXPECT_EQ(overlap["clash"], true);
   EXPECT_EQ(overlap["message"], warning);

   const auto doctor =
       run({"doctor"}, {{"DOKPLOY_PLUGIN_PATH", dir_.file("extra")}, {"MACHINE_ID", std::nullopt}});
   EXPECT_EQ(doctor.exit_code, 0) << doctor.out << doctor.err;
   EXPECT_THAT(doctor.out, HasSubstr("! option FAKE_DISK: " + warning + "\n"));
}

TEST_F(CliTest, ListingOfTheShippedPluginsWarnsAboutNothing) {
   const auto listing = run({"plugins", "--output", "json"}, {{"DOKPLOY_PLUGIN_PATH", plugin_dir()}});
   EXPECT_EQ(parse(listing.out)["option_overlaps"], json::array()) << listing.out;
}

TEST_F(CliTest, GroupWritablePluginFileIsRefusedWithTheFix) {
   const std::string file = copy_plugin(DPP_CLI_FAKE_PLUGIN, "unsafe", "dpp-test.fake.so", 0775);
   const auto listing = run({"plugins"}, {{"DOKPLOY_PLUGIN_PATH", dir_.file("unsafe")}});
   EXPECT_EQ(listing.exit_code, 1);
   EXPECT_THAT(listing.out, HasSubstr("not loaded: " + file + "\n  is writable by other users (mode 775)"));
   EXPECT_THAT(listing.out, HasSubstr("`chmod go-w " + file + "`"));

   const auto chosen = run({"status"}, {{"DOKPLOY_BACKEND", file}});
   EXPECT_EQ(chosen.exit_code, 2);
   EXPECT_EQ(chosen.out, "");
   EXPECT_THAT(last_line(chosen.err), HasSubstr(file + ": is writable by other users (mode 775)"));
   EXPECT_THAT(last_line(chosen.err), HasSubstr("`chmod go-w " + file + "`"));
}

TEST_F(CliTest, WorldWritablePluginFileIsRefused) {
   const std::string file = copy_plugin(DPP_CLI_FAKE_PLUGIN, "unsafe", "dpp-x.so", 0757);
   const auto result = run({"status"}, {{"DOKPLOY_BACKEND", file}});
   EXPECT_EQ(result.exit_code, 2);
   EXPECT_THAT(last_line(result.err), HasSubstr(file + ": is writable by other users (mode 757)"));
}

TEST_F(CliTest, FileThatIsNotALibraryIsListedAsNotLoadable) {
   const std::string junk = dir_.write("extra/dpp-junk.so", "#!/bin/sh\necho not a library\n", 0755);
   const auto result = run({"plugins"}, {{"DOKPLOY_PLUGIN_PATH", dir_.file("extra")}});
   EXPECT_EQ(result.exit_code, 1);
   EXPECT_THAT(result.out, HasSubstr("not loaded: " + junk + "\n  is not a loadable shared library"));
}

}  // namespace
}  // namespace dpp::test::cli

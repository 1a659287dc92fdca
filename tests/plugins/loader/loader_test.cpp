// The plugin loader and registry against deliberately broken plugins: every defect is refused
// with one message that names the plugin file and says what is wrong, and nothing a plugin does
// wrong (throwing, short structs, NULL slots) takes the host down.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "errors.hpp"
#include "lifecycle/session.hpp"
#include "loader/host_services.hpp"
#include "loader/option_overlaps.hpp"
#include "loader/plugin_error.hpp"
#include "loader/plugin_instances.hpp"
#include "loader/plugin_library.hpp"
#include "loader/plugin_registry.hpp"
#include "options/configuration.hpp"
#include "options/host_options.hpp"
#include "state/machine_state.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace dpp::core {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class Loader : public ::testing::Test {
 protected:
   // Copies the test plugin dpp-test-<name>.so into this test's folder (as `file_name` when
   // given) with mode 0755, so that the build's umask cannot make it group-writable.
   std::string install(const std::string& name, const std::string& file_name = "",
                       const std::string& folder = "") {
      const fs::path source = fs::path(DPP_LOADER_TEST_PLUGIN_DIR) / ("dpp-test-" + name + ".so");
      const fs::path target_dir = folder.empty() ? fs::path(dir_.path()) : fs::path(dir_.path()) / folder;
      fs::create_directories(target_dir);
      const fs::path target = target_dir / (file_name.empty() ? source.filename().string() : file_name);
      fs::copy_file(source, target, fs::copy_options::overwrite_existing);
      ::chmod(target.c_str(), 0755);
      return target.string();
   }

   // The message of the PluginError that opening `file` throws (a test failure if none).
   static std::string open_error(const std::string& file) {
      try {
         PluginLibrary::open(file);
      } catch (const PluginError& e) {
         EXPECT_EQ(e.file(), file);
         EXPECT_EQ(e.exit_code(), kExitFailure);
         return e.what();
      }
      ADD_FAILURE() << file << " was accepted";
      return "";
   }

   // The message of the PluginError that initialising `file` throws.
   std::string init_error(const std::string& file) {
      auto plugin = PluginLibrary::open(file);
      try {
         plugin->initialise(services_.for_plugin(plugin->id()));
      } catch (const PluginError& e) {
         EXPECT_FALSE(plugin->initialised());
         return e.what();
      }
      ADD_FAILURE() << file << " initialised";
      return "";
   }

   test::TempDir dir_{"dpp-loader"};
   HostServices services_;
};

// ----- the library itself -----

TEST_F(Loader, CorrectCPluginLoadsWithItsIdVersionDescriptionAndOptions) {
   const auto file = install("good");
   auto plugin = PluginLibrary::open(file);
   EXPECT_EQ(plugin->id(), "test.c-backend");
   EXPECT_EQ(plugin->version(), "1.2.3");
   EXPECT_EQ(plugin->description(), "A backend written in C for the loader tests");
   EXPECT_EQ(plugin->file(), file);
   EXPECT_EQ(plugin->abi_version().major, 1u);
   ASSERT_EQ(plugin->options().size(), 2u);
   const OptionSpec& greeting = plugin->options()[0];
   EXPECT_EQ(greeting.name, "TEST_C_GREETING");
   EXPECT_EQ(greeting.description, "What the C test backend says.");
   EXPECT_EQ(greeting.default_value, "hello");
   EXPECT_EQ(greeting.group, "workspace");
   EXPECT_EQ(greeting.owner, "test.c-backend");
   const OptionSpec& port = plugin->options()[1];
   EXPECT_EQ(port.type, DPP_OPTION_PORT);
   EXPECT_FALSE(port.default_value.has_value());
   EXPECT_EQ(port.group, "advanced");

   EXPECT_FALSE(plugin->offers(PluginKind::backend)) << "nothing is offered before init";
   plugin->initialise(services_.for_plugin(plugin->id()));
   plugin->initialise(services_.for_plugin(plugin->id()));  // idempotent
   EXPECT_TRUE(plugin->initialised());
   EXPECT_TRUE(plugin->offers(PluginKind::backend));
   EXPECT_FALSE(plugin->offers(PluginKind::transport));
   EXPECT_EQ(plugin->kinds(), std::vector<PluginKind>{PluginKind::backend});
   EXPECT_NE(plugin->factory(PluginKind::backend), nullptr);
   try {
      plugin->factory(PluginKind::auth);
      ADD_FAILURE() << "an auth factory was handed out";
   } catch (const PluginError& e) {
      EXPECT_THAT(e.what(), HasSubstr("does not provide a auth (dpp.auth/1)"));
      EXPECT_THAT(e.what(), HasSubstr(file));
   }
}

TEST_F(Loader, TextFileNamedLikeAPluginIsRefusedAsNotASharedLibrary) {
   const std::string file = dir_.write("dpp-notes.so", "these are my notes, not a library\n", 0644);
   const std::string message = open_error(file);
   EXPECT_THAT(message, HasSubstr("plugin " + file + ": is not a loadable shared library"));
}

TEST_F(Loader, EmptyFileIsRefusedAsNotASharedLibrary) {
   const std::string file = dir_.write("dpp-empty.so", "", 0644);
   EXPECT_THAT(open_error(file), HasSubstr(file + ": is not a loadable shared library"));
}

TEST_F(Loader, TruncatedLibraryIsRefusedAsNotASharedLibrary) {
   std::ifstream in(install("good"), std::ios::binary);
   std::string head(256, '\0');
   in.read(head.data(), static_cast<std::streamsize>(head.size()));
   const std::string file = dir_.write("dpp-truncated.so", head, 0644);
   EXPECT_THAT(open_error(file), HasSubstr(file + ": is not a loadable shared library"));
}

TEST_F(Loader, FolderNamedLikeAPluginIsRefusedAsNotARegularFile) {
   const std::string folder = dir_.file("dpp-folder.so");
   fs::create_directories(folder);
   EXPECT_THAT(open_error(folder), HasSubstr(folder + ": is not a regular file"));
}

TEST_F(Loader, MissingFileIsRefusedWithTheSystemsReason) {
   const std::string file = dir_.file("dpp-missing.so");
   EXPECT_THAT(open_error(file), HasSubstr(file + ": cannot be read: No such file or directory"));
}

TEST_F(Loader, RelativePathIsRefused) {
   try {
      PluginLibrary::open("lib/dpp-test-good.so");
      ADD_FAILURE() << "a relative path was accepted";
   } catch (const PluginError& e) {
      EXPECT_THAT(e.what(), HasSubstr("lib/dpp-test-good.so: path is not absolute"));
   }
}

TEST_F(Loader, SharedLibraryWithoutTheEntrySymbolIsNotAPlugin) {
   const auto file = install("no-entry");
   EXPECT_THAT(
       open_error(file),
       HasSubstr(file + ": is not a dokploy-provider plugin: it does not export dpp_get_plugin_entry()"));
}

TEST_F(Loader, GroupWritablePluginFileIsRefusedWithTheCommandThatFixesIt) {
   const auto file = install("good");
   ::chmod(file.c_str(), 0775);
   const std::string message = open_error(file);
   EXPECT_THAT(message, HasSubstr(file + ": is writable by other users (mode 775)"));
   EXPECT_THAT(message, HasSubstr("`chmod go-w " + file + "`"));
}

TEST_F(Loader, WorldWritablePluginFileIsRefused) {
   const auto file = install("good");
   ::chmod(file.c_str(), 0757);
   EXPECT_THAT(open_error(file), HasSubstr(file + ": is writable by other users (mode 757)"));
}

TEST_F(Loader, PluginFileOwnedByAnotherUserIsRefused) {
   if (!test::running_as_root()) DPP_SKIP("giving a file to another user needs root");
   const auto file = install("good");
   ASSERT_EQ(::chown(file.c_str(), 65534, 65534), 0);
   EXPECT_THAT(open_error(file), HasSubstr(file + ": belongs to another user (uid 65534)"));
}

// ----- the entry and the ABI version -----

TEST_F(Loader, WrongAbiMajorIsRefusedNamingBothVersions) {
   const auto file = install("wrong-major");
   EXPECT_THAT(open_error(file), HasSubstr(file + ": was built for ABI 2.0 but this host implements ABI 1.0 "
                                                  "(the major version must match)"));
}

TEST_F(Loader, PluginThatRefusesTheHostsAbiIsRefused) {
   const auto file = install("refuses-host");
   EXPECT_THAT(open_error(file), HasSubstr(file + ": refused this host's ABI 1.0"));
}

TEST_F(Loader, NewerAbiMinorIsRefusedAskingForANewerHost) {
   const auto file = install("newer-minor");
   EXPECT_THAT(open_error(file),
               HasSubstr(file + ": needs ABI 1.1, newer than this host's ABI 1.0; upgrade dokploy-provider"));
}

TEST_F(Loader, ShortEntryStructSizeIsRefusedWithBothSizes) {
   const auto file = install("short-struct-size");
   const std::string message = open_error(file);
   EXPECT_THAT(message,
               HasSubstr(file + ": entry struct_size is " + std::to_string(offsetof(dpp_plugin_entry, init)) +
                         " bytes, smaller than the " +
                         std::to_string(offsetof(dpp_plugin_entry, get_factory) + sizeof(void*))));
}

TEST_F(Loader, LongerEntryOfALaterMinorIsReadOnlyAsFarAsTheHostKnows) {
   auto plugin = PluginLibrary::open(install("longer-struct-size"));
   EXPECT_EQ(plugin->id(), "test.c-backend");
   plugin->initialise(services_.for_plugin(plugin->id()));
   EXPECT_TRUE(plugin->offers(PluginKind::backend));
}

TEST_F(Loader, EntryFunctionThatThrowsIsContainedAndNamed) {
   const auto file = install("entry-throws");
   EXPECT_THAT(open_error(file), HasSubstr(file + ": dpp_get_plugin_entry() threw an exception"));
}

TEST_F(Loader, NullInitIsRefusedAsAMissingRequiredMember) {
   const auto file = install("null-init");
   EXPECT_THAT(open_error(file),
               HasSubstr(file + ": has no init function (a required member of the entry is NULL)"));
}

TEST_F(Loader, NullDeinitIsRefusedAsAMissingRequiredMember) {
   const auto file = install("null-deinit");
   EXPECT_THAT(open_error(file), HasSubstr(file + ": has no deinit function"));
}

TEST_F(Loader, NullGetFactoryIsRefusedAsAMissingRequiredMember) {
   const auto file = install("null-get-factory");
   EXPECT_THAT(open_error(file), HasSubstr(file + ": has no get_factory function"));
}

TEST_F(Loader, InvalidIdIsRefusedAndShownWithThePatternExpected) {
   const auto file = install("bad-id");
   EXPECT_THAT(
       open_error(file),
       HasSubstr(file + ": has an invalid id 'Not A Valid Id!' (expected [a-z0-9][a-z0-9._-]{0,63})"));
}

TEST_F(Loader, MissingVersionIsRefused) {
   const auto file = install("no-version");
   EXPECT_THAT(open_error(file), HasSubstr(file + ": declares no version"));
}

// ----- init -----

TEST_F(Loader, InitThatFailsPassesOnThePluginsStatusAndMessage) {
   const auto file = install("init-fails");
   EXPECT_THAT(init_error(file),
               HasSubstr(file + ": init failed (DPP_E_CONFIG): TEST_LICENSE_FILE is not set: "
                                "point it at your licence file"));
}

TEST_F(Loader, InitThatThrowsIsContainedAndNamed) {
   const auto file = install("init-throws");
   EXPECT_THAT(init_error(file),
               HasSubstr(file + ": init threw an exception; plugins must not let exceptions "
                                "cross the ABI"));
}

// ----- option declarations -----

TEST_F(Loader, OptionNameThatIsNotAnEnvironmentVariableIsRefused) {
   const auto file = install("bad-option-name");
   EXPECT_THAT(
       open_error(file),
       HasSubstr(file +
                 ": declares an option with an invalid name 'lower-case name' (expected [A-Z][A-Z0-9_]*)"));
}

TEST_F(Loader, OptionDeclaredTwiceIsRefused) {
   const auto file = install("duplicate-option");
   EXPECT_THAT(open_error(file), HasSubstr(file + ": declares the option TEST_C_GREETING twice"));
}

TEST_F(Loader, OptionOfAnUnknownTypeIsRefused) {
   const auto file = install("unknown-option-type");
   EXPECT_THAT(open_error(file), HasSubstr(file + ": declares option TEST_C_FUTURE with unknown type 99"));
}

TEST_F(Loader, EnumOptionWithoutValuesIsRefused) {
   const auto file = install("enum-without-values");
   EXPECT_THAT(open_error(file), HasSubstr(file + ": declares enum option TEST_C_MODE without values"));
}

TEST_F(Loader, OptionWithAShortStructSizeIsRefused) {
   const auto file = install("short-option-size");
   EXPECT_THAT(open_error(file), HasSubstr(file + ": option 2 has a short struct_size"));
}

TEST_F(Loader, GetOptionThatThrowsIsContainedAndNamed) {
   const auto file = install("get-option-throws");
   EXPECT_THAT(open_error(file), HasSubstr(file + ": get_option threw an exception"));
}

// ----- objects made by factories -----

class Instances : public Loader {
 protected:
   Configuration configuration(const PluginLibrary& plugin, Environment env = {}) {
      return resolve_configuration(plugin.options(), env, nullptr);
   }
   std::shared_ptr<PluginLibrary> initialised(const std::string& name) {
      auto plugin = PluginLibrary::open(install(name));
      plugin->initialise(services_.for_plugin(plugin->id()));
      return plugin;
   }
   std::string backend_error(const std::string& name) {
      auto plugin = initialised(name);
      try {
         Backend backend(plugin, services_, configuration(*plugin));
      } catch (const PluginError& e) {
         EXPECT_EQ(e.file(), plugin->file());
         return e.what();
      }
      ADD_FAILURE() << name << " made a backend";
      return "";
   }
};

TEST_F(Instances, FactoryWithoutCreateIsRefused) {
   EXPECT_THAT(backend_error("factory-null-create"), HasSubstr("backend factory has no create function"));
}

TEST_F(Instances, FactoryWithAShortStructSizeIsRefused) {
   EXPECT_THAT(backend_error("factory-short-size"), HasSubstr("backend factory has a short struct_size"));
}

TEST_F(Instances, BackendWithoutItsRequiredStatusFunctionIsRefused) {
   EXPECT_THAT(backend_error("backend-null-status"),
               HasSubstr("backend object has no status function (a required member is NULL)"));
}

TEST_F(Instances, BackendObjectWithAShortStructSizeIsRefused) {
   EXPECT_THAT(backend_error("backend-short-size"),
               HasSubstr("backend object has a short struct_size (" +
                         std::to_string(offsetof(dpp_backend, create)) + " bytes)"));
}

TEST_F(Instances, BackendReceivesItsValidatedOptionsThroughTheAbi) {
   auto plugin = initialised("good");
   Backend backend(plugin, services_,
                   configuration(*plugin, Environment::from_map({{"TEST_C_GREETING", "bonjour"}})));
   EXPECT_STREQ(backend.status("m1").detail, "bonjour");
   Backend defaulted(plugin, services_, configuration(*plugin));
   EXPECT_STREQ(defaulted.status("m1").detail, "hello");
}

TEST_F(Instances, BackendWithoutStartAndStopSaysSoInsteadOfCrashing) {
   auto plugin = initialised("good");
   Backend backend(plugin, services_, configuration(*plugin));
   EXPECT_FALSE(backend.supports_start_stop());
   try {
      backend.stop("m1");
      ADD_FAILURE() << "stop ran";
   } catch (const ProviderError& e) {
      EXPECT_THAT(e.what(), HasSubstr("test.c-backend: stop is not supported by this backend"));
   }
}

TEST_F(Instances, BackendKeepsItsStateInTheMachinesStateFileUnderItsOwnId) {
   auto plugin = initialised("good");
   MachineState state(dir_.file("machine"), "m1");
   state.load();
   services_.set_machine(&state);
   Backend backend(plugin, services_, configuration(*plugin));
   EXPECT_EQ(backend.status("m1").state, DPP_WORKSPACE_NOT_FOUND);
   dpp_workspace_spec spec{};
   spec.struct_size = sizeof spec;
   spec.machine_id = "m1";
   const dpp_workspace_info info = backend.create(spec);
   EXPECT_EQ(info.state, DPP_WORKSPACE_RUNNING);
   EXPECT_STREQ(info.detail, "hello m1");
   MachineState reread(dir_.file("machine"), "m1");
   reread.load();
   EXPECT_EQ(reread.plugin_value("test.c-backend", "created"), "yes");
   EXPECT_EQ(backend.status("m1").state, DPP_WORKSPACE_STOPPED);
   backend.remove("m1", false);
   EXPECT_EQ(backend.status("m1").state, DPP_WORKSPACE_NOT_FOUND);
   services_.set_machine(nullptr);
}

// ----- the registry: finding, selecting and listing plugins -----

class Registry : public Loader {
 protected:
   PluginRegistry registry_for(const std::vector<std::string>& entries) {
      std::vector<fs::path> path;
      for (const auto& entry : entries) path.emplace_back(entry);
      return PluginRegistry(path, services_);
   }
};

TEST_F(Registry, SearchPathIsTheFolderBesideTheExecutableThenEachPluginPathEntry) {
   const auto path = PluginRegistry::search_path("/opt/dpp/bin/dokploy-provider", "/a:/b/dpp-x.so::");
   ASSERT_EQ(path.size(), 3u);
   EXPECT_EQ(path[0], fs::path("/opt/dpp/lib/dokploy-provider/plugins"));
   EXPECT_EQ(path[1], fs::path("/a"));
   EXPECT_EQ(path[2], fs::path("/b/dpp-x.so"));
}

TEST_F(Registry, TwoPluginsWithTheSameIdAreReportedNamingBothFiles) {
   const auto first = install("good", "dpp-test.c-backend.so", "one");
   const auto second = install("good", "dpp-test.c-backend.so", "two");
   auto registry = registry_for({dir_.file("one"), dir_.file("two")});
   try {
      registry.select(PluginKind::backend, "test.c-backend", "DOKPLOY_BACKEND");
      ADD_FAILURE() << "an ambiguous id was selected";
   } catch (const ConfigError& e) {
      EXPECT_EQ(e.exit_code(), kExitUsage);
      EXPECT_THAT(e.what(),
                  HasSubstr("DOKPLOY_BACKEND=test.c-backend: two plugins have the id 'test.c-backend': " +
                            first + " and " + second));
   }
}

TEST_F(Registry, ListingReportsTheSecondPluginWithAnIdAlreadyTaken) {
   const auto first = install("good", "dpp-a.so");
   const auto second = install("good", "dpp-b.so");
   auto listing = registry_for({dir_.path()}).load_all();
   ASSERT_EQ(listing.loaded.size(), 1u);
   EXPECT_EQ(listing.loaded[0]->file(), first);
   ASSERT_EQ(listing.failed.size(), 1u);
   EXPECT_EQ(listing.failed[0].first, second);
   EXPECT_THAT(listing.failed[0].second, HasSubstr("has the same id 'test.c-backend' as " + first));
}

TEST_F(Registry, BrokenPluginsAreListedWithTheirReasonsBesideTheGoodOnes) {
   install("good");
   const auto major = install("wrong-major");
   const auto throwing = install("init-throws");
   dir_.write("dpp-junk.so", "junk", 0644);
   dir_.write("README.txt", "not a plugin and not named like one", 0644);
   auto listing = registry_for({dir_.path()}).load_all();
   ASSERT_EQ(listing.loaded.size(), 1u);
   EXPECT_EQ(listing.loaded[0]->id(), "test.c-backend");
   ASSERT_EQ(listing.failed.size(), 3u);
   std::map<std::string, std::string> reasons(listing.failed.begin(), listing.failed.end());
   EXPECT_THAT(reasons[major], HasSubstr("was built for ABI 2.0"));
   EXPECT_THAT(reasons[throwing], HasSubstr("init threw an exception"));
   EXPECT_THAT(reasons[dir_.file("dpp-junk.so")], HasSubstr("is not a loadable shared library"));
}

TEST_F(Registry, PluginIsSelectedByIdThroughItsConventionalFileName) {
   install("good", "dpp-test.c-backend.so");
   install("wrong-major");  // not opened: selection by id only opens dpp-<id>.so
   auto registry = registry_for({dir_.path()});
   auto plugin = registry.select(PluginKind::backend, "test.c-backend", "DOKPLOY_BACKEND");
   EXPECT_EQ(plugin->id(), "test.c-backend");
   EXPECT_TRUE(plugin->initialised());
}

TEST_F(Registry, PluginWithAnUnconventionalFileNameIsStillFoundById) {
   install("good", "dpp-whatever.so");
   auto plugin = registry_for({dir_.path()}).select(PluginKind::backend, "test.c-backend", "DOKPLOY_BACKEND");
   EXPECT_EQ(plugin->id(), "test.c-backend");
}

TEST_F(Registry, PluginIsSelectedByAbsoluteFilePath) {
   const auto file = install("good", "mine.so", "elsewhere");
   auto plugin = registry_for({}).select(PluginKind::backend, file, "DOKPLOY_BACKEND");
   EXPECT_EQ(plugin->file(), file);
}

TEST_F(Registry, BrokenPluginSelectedByPathFailsWithItsReason) {
   const auto file = install("newer-minor");
   try {
      registry_for({}).select(PluginKind::backend, file, "DOKPLOY_BACKEND");
      ADD_FAILURE() << "a broken plugin was selected";
   } catch (const PluginError& e) {
      EXPECT_THAT(e.what(), HasSubstr(file + ": needs ABI 1.1"));
   }
}

TEST_F(Registry, UnknownIdNamesTheFoldersSearchedAndWhatToRun) {
   install("good");
   try {
      registry_for({dir_.path()}).select(PluginKind::backend, "com.example.none", "DOKPLOY_BACKEND");
      ADD_FAILURE() << "an unknown id was selected";
   } catch (const ConfigError& e) {
      EXPECT_THAT(e.what(), HasSubstr("DOKPLOY_BACKEND=com.example.none: no plugin with the id "
                                      "'com.example.none' was found in " +
                                      dir_.path()));
      EXPECT_THAT(e.what(), HasSubstr("dokploy-provider plugins"));
   }
}

TEST_F(Registry, PluginWithoutTheRequestedKindSaysWhichKindIsMissing) {
   const auto file = install("no-backend", "dpp-test.c-backend.so");
   try {
      registry_for({dir_.path()}).select(PluginKind::backend, "test.c-backend", "DOKPLOY_BACKEND");
      ADD_FAILURE() << "a plugin without a backend was selected as one";
   } catch (const ConfigError& e) {
      EXPECT_THAT(e.what(),
                  HasSubstr("the plugin 'test.c-backend' (" + file + ") does not provide a backend"));
   }
}

TEST_F(Registry, EmptyChoiceIsAConfigurationError) {
   EXPECT_THROW(registry_for({}).select(PluginKind::transport, "", "DOKPLOY_SSH_TRANSPORT"), ConfigError);
}

// ----- options declared more than once among the plugins installed -----

TEST_F(Registry, PluginThatRedeclaresAHostOptionIsAClashThatNeitherWins) {
   install("option-clash");
   const auto overlaps =
       find_option_overlaps(host_option_specs(), registry_for({dir_.path()}).load_all().loaded);
   ASSERT_EQ(overlaps.size(), 1u);
   EXPECT_EQ(overlaps[0].name, "DOKPLOY_IMAGE");
   EXPECT_EQ(overlaps[0].first, "host");
   EXPECT_EQ(overlaps[0].second, "test.c-backend");
   EXPECT_TRUE(overlaps[0].clash);
   EXPECT_EQ(overlaps[0].message,
             "DOKPLOY_IMAGE is declared by the host and by the plugin test.c-backend: a run that loads "
             "test.c-backend stops with a configuration error (neither wins); the plugin must rename it");
}

TEST_F(Registry, AlternativesThatDeclareAnOptionDifferentlyAreReportedWithTheOneThatWins) {
   install("good");
   install("other-greeting");
   const auto overlaps =
       find_option_overlaps(host_option_specs(), registry_for({dir_.path()}).load_all().loaded);
   ASSERT_EQ(overlaps.size(), 1u) << "TEST_C_PORT is declared alike by both: shared, not reported";
   EXPECT_EQ(overlaps[0].name, "TEST_C_GREETING");
   EXPECT_FALSE(overlaps[0].clash);
   EXPECT_EQ(overlaps[0].message,
             "TEST_C_GREETING is declared differently (default) by test.c-backend and test.c-other, both "
             "backend plugins: a run loads only the one DOKPLOY_BACKEND selects, and its declaration wins");
}

TEST_F(Registry, AlternativesThatDeclareAnOptionAlikeShareItWithoutAWarning) {
   install("good");
   install("twin");
   EXPECT_TRUE(
       find_option_overlaps(host_option_specs(), registry_for({dir_.path()}).load_all().loaded).empty());
}

// ----- a session: plugin options are checked together with the host's -----

TEST_F(Registry, PluginOptionThatClashesWithAHostOptionIsAConfigurationError) {
   const auto file = install("option-clash");
   SessionSettings settings;
   settings.executable = dir_.file("bin/dokploy-provider");
   settings.environment = Environment::from_map({{"DOKPLOY_BACKEND", file}});
   Session session(std::move(settings));
   try {
      session.configure({.backend = true});
      ADD_FAILURE() << "the clash went unnoticed";
   } catch (const ConfigError& e) {
      EXPECT_EQ(e.exit_code(), kExitUsage);
      ASSERT_FALSE(e.problems().empty());
      EXPECT_THAT(e.problems()[0],
                  HasSubstr("the option DOKPLOY_IMAGE is declared by both the host and the plugin "
                            "'test.c-backend' (" +
                            file + ")"));
   }
}

TEST_F(Registry, PluginOptionsAreValidatedTogetherWithTheHostsAndAllReportedAtOnce) {
   const auto file = install("good");
   SessionSettings settings;
   settings.executable = dir_.file("bin/dokploy-provider");
   settings.environment = Environment::from_map(
       {{"DOKPLOY_BACKEND", file}, {"TEST_C_PORT", "70000"}, {"DOKPLOY_MEMORY_LIMIT", "2x"}});
   Session session(std::move(settings));
   try {
      session.configure({.backend = true});
      ADD_FAILURE() << "bad values were accepted";
   } catch (const ConfigError& e) {
      ASSERT_EQ(e.problems().size(), 2u) << e.what();
      std::string all;
      for (const auto& problem : e.problems()) all += problem + "\n";
      EXPECT_THAT(all, HasSubstr("DOKPLOY_MEMORY_LIMIT='2x'"));
      EXPECT_THAT(all, HasSubstr("TEST_C_PORT='70000' is outside 1-65535"));
   }
}

}  // namespace
}  // namespace dpp::core

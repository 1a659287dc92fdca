// plugin.hpp's shims, driven through the C ABI they generate: the entry, init/deinit, options,
// factories, every kind of exception turned into a status and a message, struct sizes of either
// side, and the host services wrapped by sdk::Host.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "fake_host.hpp"
#include "tiny_plugin.hpp"

namespace dpp::test {
namespace {

using ::testing::HasSubstr;

dpp_error fresh_error() {
   dpp_error error{};
   error.struct_size = sizeof error;
   return error;
}

dpp_workspace_info fresh_info() {
   dpp_workspace_info info{};
   info.struct_size = sizeof info;
   return info;
}

bool valid_utf8(const std::string& text) {
   for (std::size_t i = 0; i < text.size();) {
      const auto byte = static_cast<unsigned char>(text[i]);
      const std::size_t length = byte < 0x80 ? 1 : (byte & 0xE0) == 0xC0 ? 2 : (byte & 0xF0) == 0xE0 ? 3 : 4;
      if (i + length > text.size()) return false;
      for (std::size_t k = 1; k < length; ++k)
         if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
      i += length;
   }
   return true;
}

class SdkPlugin : public ::testing::Test {
 protected:
   void SetUp() override {
      entry_ = tiny::entry();
      ASSERT_NE(entry_, nullptr);
      tiny::observed() = {};
   }
   void TearDown() override {
      for (auto* backend : backends_) backend->destroy(backend);
      entry_->deinit();
   }
   void init() {
      dpp_error error = fresh_error();
      ASSERT_EQ(entry_->init(host_.get(), &error), DPP_OK) << error.message;
   }

   // A backend made through the factory with `values` as its options; nullptr and `error` set
   // when the factory refused.
   dpp_backend* make_backend(std::vector<dpp_option_value> values, dpp_error& error) {
      const auto* factory =
          static_cast<const dpp_backend_factory*>(entry_->get_factory(DPP_BACKEND_FACTORY_ID));
      if (!factory) return nullptr;
      dpp_options options{sizeof(dpp_options), static_cast<uint32_t>(values.size()), values.data()};
      dpp_backend* backend = nullptr;
      if (factory->create(factory, host_.get(), &options, &backend, &error) != DPP_OK) return nullptr;
      backends_.push_back(backend);
      return backend;
   }
   dpp_backend* make_backend() {
      dpp_error error = fresh_error();
      dpp_backend* backend = make_backend({}, error);
      EXPECT_NE(backend, nullptr) << error.message;
      return backend;
   }

   // Runs create with a spec whose image selects the tiny backend's behaviour.
   dpp_status create(dpp_backend* backend, const char* image, dpp_workspace_info& info, dpp_error& error) {
      dpp_workspace_spec spec{};
      spec.struct_size = sizeof spec;
      spec.machine_id = "m1";
      spec.image = image;
      return backend->create(backend, &spec, &info, &error);
   }

   const dpp_plugin_entry* entry_ = nullptr;
   FakeHost host_;
   std::vector<dpp_backend*> backends_;
};

// ----- the entry -----

TEST_F(SdkPlugin, EntryDescribesThePluginAndIsTheSameEveryCall) {
   EXPECT_EQ(entry_->struct_size, sizeof(dpp_plugin_entry));
   EXPECT_EQ(entry_->abi_version.major, static_cast<uint32_t>(DPP_ABI_VERSION_MAJOR));
   EXPECT_EQ(entry_->abi_version.minor, static_cast<uint32_t>(DPP_ABI_VERSION_MINOR));
   EXPECT_STREQ(entry_->id, "test.tiny");
   EXPECT_STREQ(entry_->version, "0.1.0");
   EXPECT_STREQ(entry_->description, "The SDK tests' tiny plugin");
   EXPECT_EQ(tiny::entry(), entry_);
}

TEST_F(SdkPlugin, EntryRefusesAHostOfAnotherMajor) {
   EXPECT_EQ(tiny::entry(DPP_ABI_VERSION_MAJOR + 1, 0), nullptr);
   EXPECT_EQ(tiny::entry(0, 0), nullptr);
}

TEST_F(SdkPlugin, FactoriesAreOfferedOnlyAfterInitAndOnlyForKnownIds) {
   EXPECT_EQ(entry_->get_factory(DPP_BACKEND_FACTORY_ID), nullptr);
   init();
   EXPECT_NE(entry_->get_factory(DPP_BACKEND_FACTORY_ID), nullptr);
   EXPECT_NE(entry_->get_factory(DPP_TRANSPORT_FACTORY_ID), nullptr);
   EXPECT_NE(entry_->get_factory(DPP_AUTH_FACTORY_ID), nullptr);
   EXPECT_EQ(entry_->get_factory("dpp.backend/2"), nullptr);
   EXPECT_EQ(entry_->get_factory("com.example.other/1"), nullptr);
   EXPECT_EQ(entry_->get_factory(nullptr), nullptr);
   const auto* factory = static_cast<const dpp_backend_factory*>(entry_->get_factory(DPP_BACKEND_FACTORY_ID));
   EXPECT_EQ(factory->struct_size, sizeof(dpp_backend_factory));
}

TEST_F(SdkPlugin, InitIsIdempotentAndDeinitIsSafeWithoutInit) {
   entry_->deinit();  // before any init: nothing happens
   EXPECT_EQ(tiny::observed().deinit_calls, 0);
   init();
   init();
   EXPECT_EQ(tiny::observed().init_calls, 1);
   ASSERT_EQ(host_.lines.size(), 1u);
   EXPECT_EQ(host_.lines[0], std::make_pair(int32_t{DPP_LOG_INFO}, std::string("tiny plugin ready")));
   EXPECT_EQ(sdk::global_host().raw(), host_.get());
   entry_->deinit();
   entry_->deinit();
   EXPECT_EQ(tiny::observed().deinit_calls, 1);
   EXPECT_EQ(sdk::global_host().raw(), nullptr);
   EXPECT_EQ(entry_->get_factory(DPP_BACKEND_FACTORY_ID), nullptr);
}

TEST_F(SdkPlugin, InitWithoutAHostIsAnInvalidArgument) {
   dpp_error error = fresh_error();
   EXPECT_EQ(entry_->init(nullptr, &error), DPP_E_INVALID_ARGUMENT);
   EXPECT_STREQ(error.message, "no host given to init");
}

TEST_F(SdkPlugin, OptionsAreListedInDeclarationOrderAlsoBeforeInit) {
   std::vector<std::string> names;
   for (uint32_t i = 0; const dpp_option_desc* option = entry_->get_option(i); ++i) {
      EXPECT_EQ(option->struct_size, sizeof(dpp_option_desc));
      names.emplace_back(option->name);
   }
   EXPECT_EQ(names, (std::vector<std::string>{"TINY_GREETING", "TINY_TOKEN", "TINY_MODE"}));
   const dpp_option_desc* token = entry_->get_option(1);
   EXPECT_EQ(token->flags, static_cast<uint32_t>(DPP_OPTION_SECRET | DPP_OPTION_REQUIRED));
   EXPECT_EQ(token->default_value, nullptr);
   EXPECT_STREQ(token->group, "connection");
   EXPECT_STREQ(entry_->get_option(2)->enum_values, "fast|safe");
   EXPECT_EQ(entry_->get_option(3), nullptr);
   EXPECT_EQ(entry_->get_option(UINT32_MAX), nullptr);
}

// ----- factories and the backend shim -----

TEST_F(SdkPlugin, BackendReceivesItsOptionsByName) {
   init();
   dpp_error error = fresh_error();
   dpp_backend* backend = make_backend({{"TINY_GREETING", "bonjour"}, {"TINY_MODE", "safe"}}, error);
   ASSERT_NE(backend, nullptr) << error.message;
   EXPECT_EQ(backend->struct_size, sizeof(dpp_backend));
   dpp_workspace_info info = fresh_info();
   ASSERT_EQ(create(backend, "img", info, error), DPP_OK) << error.message;
   EXPECT_STREQ(info.detail, "bonjour");
   EXPECT_EQ(info.state, DPP_WORKSPACE_RUNNING);
   EXPECT_STREQ(info.ssh_host, "workspace.example");
   EXPECT_EQ(info.ssh_port, 2222);
}

TEST_F(SdkPlugin, ConstructorErrorBecomesTheFactorysStatusAndMessage) {
   init();
   dpp_error error = fresh_error();
   EXPECT_EQ(make_backend({{"TINY_REFUSE", "yes"}}, error), nullptr);
   EXPECT_EQ(error.status, DPP_E_CONFIG);
   EXPECT_STREQ(error.message, "TINY_REFUSE is set: remove it");
}

TEST_F(SdkPlugin, FactoryWithoutAnOutputPointerIsAnInvalidArgument) {
   init();
   const auto* factory = static_cast<const dpp_backend_factory*>(entry_->get_factory(DPP_BACKEND_FACTORY_ID));
   dpp_error error = fresh_error();
   EXPECT_EQ(factory->create(factory, host_.get(), nullptr, nullptr, &error), DPP_E_INVALID_ARGUMENT);
}

TEST_F(SdkPlugin, SdkErrorBecomesItsStatusAndMessage) {
   init();
   dpp_workspace_info info = fresh_info();
   dpp_error error = fresh_error();
   EXPECT_EQ(create(make_backend(), "throw-sdk-error", info, error), DPP_E_REMOTE);
   EXPECT_EQ(error.status, DPP_E_REMOTE);
   EXPECT_STREQ(error.message, "deploy failed: no space left");
}

TEST_F(SdkPlugin, StandardExceptionBecomesAnInternalErrorWithItsText) {
   init();
   dpp_workspace_info info = fresh_info();
   dpp_error error = fresh_error();
   EXPECT_EQ(create(make_backend(), "throw-std", info, error), DPP_E_INTERNAL);
   EXPECT_STREQ(error.message, "internal error: vector too long");
}

TEST_F(SdkPlugin, ExceptionOfAnyTypeIsStoppedAtTheBoundary) {
   init();
   dpp_workspace_info info = fresh_info();
   dpp_error error = fresh_error();
   EXPECT_EQ(create(make_backend(), "throw-int", info, error), DPP_E_INTERNAL);
   EXPECT_STREQ(error.message, "internal error: unknown exception");
}

TEST_F(SdkPlugin, ErrorThrownWithStatusOkIsStillAFailure) {
   init();
   dpp_workspace_info info = fresh_info();
   dpp_error error = fresh_error();
   EXPECT_EQ(create(make_backend(), "throw-ok", info, error), DPP_E_INTERNAL);
}

TEST_F(SdkPlugin, StartAndStopAreUnsupportedUnlessTheBackendOverridesThem) {
   init();
   dpp_backend* backend = make_backend();
   dpp_workspace_spec spec{};
   spec.struct_size = sizeof spec;
   spec.machine_id = "m1";
   dpp_workspace_info info = fresh_info();
   dpp_error error = fresh_error();
   EXPECT_EQ(backend->start(backend, &spec, &info, &error), DPP_E_UNSUPPORTED);
   EXPECT_STREQ(error.message, "start is not supported by this backend");
   error = fresh_error();
   EXPECT_EQ(backend->stop(backend, "m1", &error), DPP_E_UNSUPPORTED);
   EXPECT_STREQ(error.message, "stop is not supported by this backend");
}

TEST_F(SdkPlugin, CheckReportsEveryResultInOrderAndReturnsTheFirstFailure) {
   init();
   dpp_backend* backend = make_backend();
   struct Seen {
      std::string name;
      int32_t result;
      std::string fix;
   };
   std::vector<Seen> seen;
   dpp_check_report_fn report = [](void* context, const char* name, int32_t result, const char*,
                                   const char* fix) {
      static_cast<std::vector<Seen>*>(context)->push_back({name, result, fix ? fix : "(none)"});
   };
   dpp_error error = fresh_error();
   EXPECT_EQ(backend->check(backend, report, &seen, &error), DPP_E_CONNECT);
   EXPECT_STREQ(error.message, "third: unreachable");
   ASSERT_EQ(seen.size(), 5u);
   EXPECT_EQ(seen[0].result, DPP_CHECK_PASS);
   EXPECT_EQ(seen[0].fix, "(none)");
   EXPECT_EQ(seen[1].result, DPP_CHECK_WARN);
   EXPECT_EQ(seen[1].fix, "be patient");
   EXPECT_EQ(seen[2].result, DPP_CHECK_FAIL);
   EXPECT_EQ(seen[3].name, "fourth");
   EXPECT_EQ(seen[4].result, DPP_CHECK_SKIP);
}

TEST_F(SdkPlugin, LongStringsAreCutToTheBufferAtAUtf8Boundary) {
   init();
   dpp_workspace_info info = fresh_info();
   dpp_error error = fresh_error();
   ASSERT_EQ(create(make_backend(), "long-host", info, error), DPP_OK) << error.message;
   const std::string host(info.ssh_host);
   EXPECT_EQ(host.size(), 254u);  // 255 would split the 128th "é"
   EXPECT_TRUE(valid_utf8(host));
}

TEST_F(SdkPlugin, WorkspaceInfoFromAnOlderSmallerHostIsRefusedNotOverrun) {
   init();
   dpp_workspace_info info = fresh_info();
   info.struct_size = 64;
   dpp_error error = fresh_error();
   EXPECT_EQ(create(make_backend(), "img", info, error), DPP_E_INVALID_ARGUMENT);
   EXPECT_THAT(error.message, HasSubstr("too small"));
}

TEST_F(SdkPlugin, SpecFromAnOlderHostIsReadOnlyAsFarAsItsStructSize) {
   init();
   dpp_backend* backend = make_backend();
   dpp_workspace_spec spec{};
   spec.struct_size = offsetof(dpp_workspace_spec, memory_limit_bytes);
   spec.machine_id = "m1";
   spec.image = "img";
   spec.ssh_port = 2222;
   spec.memory_limit_bytes = 1 << 30;  // beyond struct_size: must read as 0
   spec.timeout_ms = 5000;
   dpp_workspace_info info = fresh_info();
   dpp_error error = fresh_error();
   ASSERT_EQ(backend->create(backend, &spec, &info, &error), DPP_OK) << error.message;
   const sdk::WorkspaceSpec& seen = tiny::observed().last_spec;
   EXPECT_EQ(seen.image, "img");
   EXPECT_EQ(seen.ssh_port, 2222);
   EXPECT_EQ(seen.memory_limit_bytes, 0u);
   EXPECT_EQ(seen.timeout_ms, 0u);
}

TEST_F(SdkPlugin, SpecWithoutAMachineIdIsAnInvalidArgument) {
   init();
   dpp_workspace_info info = fresh_info();
   dpp_error error = fresh_error();
   dpp_backend* backend = make_backend();
   dpp_workspace_spec spec{};
   spec.struct_size = sizeof spec;
   EXPECT_EQ(backend->create(backend, &spec, &info, &error), DPP_E_INVALID_ARGUMENT);
   EXPECT_EQ(backend->create(backend, nullptr, &info, &error), DPP_E_INVALID_ARGUMENT);
}

TEST_F(SdkPlugin, SpecCarriesCommandEnvironmentAndVolumesIntoTheClass) {
   init();
   dpp_backend* backend = make_backend();
   const char* command[] = {"/bin/sh", "-c", "echo hi"};
   const dpp_env_var env[] = {{"A", "1"}, {"B", "two words"}};
   const dpp_volume volumes[] = {{"home", "/home/devpod"}};
   dpp_workspace_spec spec{};
   spec.struct_size = sizeof spec;
   spec.machine_id = "m1";
   spec.image = "img";
   spec.command = command;
   spec.command_count = 3;
   spec.env = env;
   spec.env_count = 2;
   spec.volumes = volumes;
   spec.volume_count = 1;
   spec.flags = DPP_WORKSPACE_PRIVILEGED;
   dpp_workspace_info info = fresh_info();
   dpp_error error = fresh_error();
   ASSERT_EQ(backend->create(backend, &spec, &info, &error), DPP_OK) << error.message;
   const sdk::WorkspaceSpec& seen = tiny::observed().last_spec;
   EXPECT_EQ(seen.command, (std::vector<std::string>{"/bin/sh", "-c", "echo hi"}));
   ASSERT_EQ(seen.env.size(), 2u);
   EXPECT_EQ(seen.env[1].second, "two words");
   ASSERT_EQ(seen.volumes.size(), 1u);
   EXPECT_EQ(seen.volumes[0].mount_path, "/home/devpod");
   EXPECT_TRUE(seen.privileged());
   EXPECT_FALSE(seen.keep_failed());
}

TEST_F(SdkPlugin, RemoveForwardsTheKeepVolumesFlag) {
   init();
   dpp_backend* backend = make_backend();
   dpp_error error = fresh_error();
   ASSERT_EQ(backend->remove(backend, "m1", DPP_REMOVE_KEEP_VOLUMES, &error), DPP_OK);
   EXPECT_TRUE(tiny::observed().last_remove_kept_volumes);
   ASSERT_EQ(backend->remove(backend, "m1", 0, &error), DPP_OK);
   EXPECT_FALSE(tiny::observed().last_remove_kept_volumes);
}

// ----- sdk::Host over the host's services -----

TEST_F(SdkPlugin, StateWrittenByCreateIsReadBackByStatusAndForgottenByRemove) {
   init();
   dpp_backend* backend = make_backend();
   dpp_workspace_info info = fresh_info();
   dpp_error error = fresh_error();
   ASSERT_EQ(create(backend, "img-a", info, error), DPP_OK);
   EXPECT_EQ(host_.state["created"], "img-a");
   info = fresh_info();
   ASSERT_EQ(backend->status(backend, "m1", &info, &error), DPP_OK);
   EXPECT_EQ(info.state, DPP_WORKSPACE_STOPPED);
   ASSERT_EQ(backend->remove(backend, "m1", 0, &error), DPP_OK);
   EXPECT_EQ(host_.state.count("created"), 0u);
   info = fresh_info();
   ASSERT_EQ(backend->status(backend, "m1", &info, &error), DPP_OK);
   EXPECT_EQ(info.state, DPP_WORKSPACE_NOT_FOUND);
}

TEST_F(SdkPlugin, StateValueLongerThanTheFirstBufferIsReadWhole) {
   init();
   host_.state["created"] = std::string(5000, 'x');
   dpp_backend* backend = make_backend();
   dpp_workspace_info info = fresh_info();
   dpp_error error = fresh_error();
   ASSERT_EQ(backend->status(backend, "m1", &info, &error), DPP_OK) << error.message;
   EXPECT_EQ(info.state, DPP_WORKSPACE_STOPPED);
   EXPECT_EQ(std::string(info.detail), std::string(DPP_DETAIL_CAPACITY - 1, 'x'));
   EXPECT_EQ(host_.state_get_calls, 2);  // one too small, one that fits
}

TEST_F(SdkPlugin, StateThatCannotBeReadFailsWithTheHostsMessage) {
   init();
   host_.state_get_fails = true;
   dpp_backend* backend = make_backend();
   dpp_workspace_info info = fresh_info();
   dpp_error error = fresh_error();
   EXPECT_EQ(backend->status(backend, "m1", &info, &error), DPP_E_IO);
   EXPECT_STREQ(error.message,
                "cannot read 'created' from the machine state: the fake state file is unreadable");
}

TEST_F(SdkPlugin, DebugTextIsNotEvenSentWhenTheHostsLevelIsHigher) {
   init();
   host_.lines.clear();
   dpp_backend* backend = make_backend();
   dpp_workspace_info info = fresh_info();
   dpp_error error = fresh_error();
   host_.level = DPP_LOG_INFO;
   backend->status(backend, "m1", &info, &error);
   EXPECT_TRUE(host_.lines.empty());
   host_.level = DPP_LOG_DEBUG;
   backend->status(backend, "m1", &info, &error);
   ASSERT_EQ(host_.lines.size(), 1u);
   EXPECT_EQ(host_.lines[0].second, "status of m1 asked");
}

TEST_F(SdkPlugin, HostWithoutServicesIsHandledByTheWrapper) {
   const sdk::Host none;
   EXPECT_FALSE(none.cancelled());
   EXPECT_FALSE(none.log_enabled(DPP_LOG_ERROR));
   EXPECT_THROW(none.state_get("anything"), sdk::Error);
   EXPECT_THROW(none.state_set("k", std::string("v")), sdk::Error);
   try {
      none.check_endpoint("h", 22, "", 1000);
      ADD_FAILURE() << "no exception";
   } catch (const sdk::Error& e) {
      EXPECT_EQ(e.status(), DPP_E_UNSUPPORTED);
      EXPECT_STREQ(e.what(), "this host cannot check SSH endpoints");
   }
   EXPECT_EQ(none.machine_id(), "");
}

TEST_F(SdkPlugin, EndpointAnswersOtherThanTheKeyAreThrownWithTheirStatusAndMessage) {
   const sdk::Host host(host_.get());
   EXPECT_NO_THROW(host.check_endpoint("w", 2222, "", 1000));
   EXPECT_NO_THROW(host.wait_for_endpoint("w", 2222, "", 1000));
   host_.endpoint_answer = DPP_E_HOST_KEY_MISMATCH;
   host_.endpoint_message = "another key answered at w:2222";
   for (const bool wait : {false, true}) {
      try {
         if (wait)
            host.wait_for_endpoint("w", 2222, "", 1000);
         else
            host.check_endpoint("w", 2222, "", 1000);
         ADD_FAILURE() << "no exception";
      } catch (const sdk::Error& e) {
         EXPECT_EQ(e.status(), DPP_E_HOST_KEY_MISMATCH);
         EXPECT_STREQ(e.what(), "another key answered at w:2222");
      }
   }
   EXPECT_EQ(host_.endpoint_calls, (std::vector<std::string>{"check", "wait", "check", "wait"}));
}

TEST(SdkOptions, ADeclarationNamesWhatDiffersFromAPlainOptionalString) {
   constexpr dpp_option_desc plain = sdk::option("PLAIN", "Some text.");
   EXPECT_EQ(plain.struct_size, sizeof(dpp_option_desc));
   EXPECT_STREQ(plain.name, "PLAIN");
   EXPECT_STREQ(plain.description, "Some text.");
   EXPECT_EQ(plain.type, DPP_OPTION_STRING);
   EXPECT_EQ(plain.flags, 0u);
   EXPECT_EQ(plain.default_value, nullptr);
   EXPECT_EQ(plain.enum_values, nullptr);
   EXPECT_EQ(plain.group, nullptr);
   constexpr dpp_option_desc port =
       sdk::option("PORT", "A port.").of_type(DPP_OPTION_PORT).defaults_to("22").in_group("ssh");
   EXPECT_EQ(port.type, DPP_OPTION_PORT);
   EXPECT_STREQ(port.default_value, "22");
   EXPECT_STREQ(port.group, "ssh");
   constexpr dpp_option_desc token = sdk::option("TOKEN", "A token.").secret().required();
   EXPECT_EQ(token.flags, static_cast<uint32_t>(DPP_OPTION_SECRET | DPP_OPTION_REQUIRED));
   constexpr dpp_option_desc mode = sdk::option("MODE", "A choice.").one_of("a|b");
   EXPECT_EQ(mode.type, DPP_OPTION_ENUM);
   EXPECT_STREQ(mode.enum_values, "a|b");
}

TEST_F(SdkPlugin, MembersBeyondAnOlderHostsStructSizeAreNeverCalled) {
   // The fake table has every pointer set; a host of an older minor would end before them.
   host_.state["k"] = "v";
   const sdk::Host host(host_.get());
   host_.cut_before(offsetof(dpp_host, state_get));
   EXPECT_TRUE(host.log_enabled(DPP_LOG_INFO));
   try {
      (void)host.state_get("k");
      ADD_FAILURE() << "no exception";
   } catch (const sdk::Error& e) {
      EXPECT_EQ(e.status(), DPP_E_UNSUPPORTED);
   }
   EXPECT_EQ(host_.state_get_calls, 0);
   EXPECT_THROW(host.state_set("k", std::string("w")), sdk::Error);
   EXPECT_EQ(host_.state["k"], "v");
   host_.cut_before(offsetof(dpp_host, log));
   host.info("never written");
   host_.cancelled = true;
   EXPECT_FALSE(host.cancelled());
   host_.cancelled = false;
   EXPECT_TRUE(host_.lines.empty());
   host_.cut_before(sizeof(dpp_host));
   EXPECT_EQ(host.state_get("k"), "v");
}

TEST_F(SdkPlugin, CancellationReachesThePluginAsCancelled) {
   const sdk::Host host(host_.get());
   EXPECT_NO_THROW(host.throw_if_cancelled());
   host_.cancelled = true;
   try {
      host.throw_if_cancelled();
      ADD_FAILURE() << "no exception";
   } catch (const sdk::Error& e) {
      EXPECT_EQ(e.status(), DPP_E_CANCELLED);
   }
}

TEST_F(SdkPlugin, OptionsWrapperParsesCanonicalValues) {
   const dpp_option_value values[] = {{"FLAG", "true"}, {"COUNT", "42"}, {"BAD", "x"}};
   const dpp_options raw{sizeof(dpp_options), 3, values};
   const sdk::Options options(&raw);
   EXPECT_TRUE(options.get_bool("FLAG", false));
   EXPECT_TRUE(options.get_bool("MISSING", true));
   EXPECT_EQ(options.get_u64("COUNT", 0), 42u);
   EXPECT_EQ(options.get_u64("MISSING", 7), 7u);
   EXPECT_THROW(options.get_u64("BAD", 0), sdk::Error);
   EXPECT_EQ(options.require("COUNT"), "42");
   try {
      options.require("MISSING");
      ADD_FAILURE() << "no exception";
   } catch (const sdk::Error& e) {
      EXPECT_EQ(e.status(), DPP_E_CONFIG);
      EXPECT_STREQ(e.what(), "MISSING is not set");
   }
}

// ----- transport and auth shims -----

class SdkTransport : public SdkPlugin {
 protected:
   void SetUp() override {
      SdkPlugin::SetUp();
      init();
      const auto* factory =
          static_cast<const dpp_transport_factory*>(entry_->get_factory(DPP_TRANSPORT_FACTORY_ID));
      dpp_error error = fresh_error();
      ASSERT_EQ(factory->create(factory, host_.get(), nullptr, &transport_, &error), DPP_OK) << error.message;
      credentials_.struct_size = sizeof credentials_;
      credentials_.kind = DPP_CREDENTIAL_PASSWORD;
      credentials_.user = "devpod";
      credentials_.password = "pw";
      target_.struct_size = sizeof target_;
      target_.host = "127.0.0.1";
      target_.port = 2222;
      target_.host_key = "ssh-ed25519 AAAA";
      target_.credentials = &credentials_;
      request_.struct_size = sizeof request_;
      request_.target = &target_;
      request_.command = "exit 3";
   }
   void TearDown() override {
      if (transport_) transport_->destroy(transport_);
      SdkPlugin::TearDown();
   }
   dpp_transport* transport_ = nullptr;
   dpp_credentials credentials_{};
   dpp_ssh_target target_{};
   dpp_run_request request_{};
};

TEST_F(SdkTransport, RunReturnsTheRemoteExitCodeAndSignal) {
   dpp_run_result result{};
   result.struct_size = sizeof result;
   dpp_error error = fresh_error();
   ASSERT_EQ(transport_->run(transport_, &request_, &result, &error), DPP_OK) << error.message;
   EXPECT_EQ(result.exit_code, 6);  // the tiny transport answers the command's length
   EXPECT_STREQ(result.exit_signal, "");
   request_.command = "kill";
   ASSERT_EQ(transport_->run(transport_, &request_, &result, &error), DPP_OK);
   EXPECT_EQ(result.exit_code, 137);
   EXPECT_STREQ(result.exit_signal, "KILL");
}

TEST_F(SdkTransport, TargetWithoutAPinnedHostKeyIsRefusedBeforeTheClassSeesIt) {
   target_.host_key = "";
   dpp_error error = fresh_error();
   EXPECT_EQ(transport_->probe(transport_, &target_, 1000, &error), DPP_E_INVALID_ARGUMENT);
   EXPECT_STREQ(error.message, "no pinned host key: refusing to connect");
}

TEST_F(SdkTransport, RunWithoutCredentialsIsRefusedButProbeNeedsNone) {
   target_.credentials = nullptr;
   dpp_error error = fresh_error();
   EXPECT_EQ(transport_->probe(transport_, &target_, 1000, &error), DPP_OK);
   dpp_run_result result{};
   result.struct_size = sizeof result;
   EXPECT_EQ(transport_->run(transport_, &request_, &result, &error), DPP_E_INVALID_ARGUMENT);
   EXPECT_STREQ(error.message, "no credentials given");
}

TEST_F(SdkTransport, ProbeFailureKeepsItsStatus) {
   target_.host = "mismatch";
   dpp_error error = fresh_error();
   EXPECT_EQ(transport_->probe(transport_, &target_, 1000, &error), DPP_E_HOST_KEY_MISMATCH);
   EXPECT_STREQ(error.message, "another key answered");
}

TEST_F(SdkTransport, CancelReachesTheClass) {
   transport_->cancel(transport_);
   EXPECT_EQ(tiny::observed().transport_cancels, 1);
}

TEST_F(SdkPlugin, AuthHandsOutStringsThatStayValidAndEmptyOnesAsNull) {
   init();
   const auto* factory = static_cast<const dpp_auth_factory*>(entry_->get_factory(DPP_AUTH_FACTORY_ID));
   dpp_auth* auth = nullptr;
   dpp_error error = fresh_error();
   ASSERT_EQ(factory->create(factory, host_.get(), nullptr, &auth, &error), DPP_OK);
   dpp_workspace_auth workspace{};
   workspace.struct_size = sizeof workspace;
   EXPECT_EQ(auth->workspace_auth(auth, &workspace, &error), DPP_E_NOT_FOUND);
   ASSERT_EQ(auth->prepare(auth, DPP_AUTH_CREATE, &error), DPP_OK) << error.message;
   ASSERT_EQ(auth->workspace_auth(auth, &workspace, &error), DPP_OK) << error.message;
   dpp_credentials credentials{};
   credentials.struct_size = sizeof credentials;
   ASSERT_EQ(auth->credentials(auth, &credentials, &error), DPP_OK);
   // Both answers stay valid together until destroy.
   EXPECT_STREQ(workspace.user, "devpod");
   EXPECT_STREQ(workspace.authorized_key, "ssh-ed25519 AAAAtiny");
   EXPECT_EQ(workspace.password_hash, nullptr);
   EXPECT_STREQ(workspace.host_private_key_base64, "c2VjcmV0");
   EXPECT_STREQ(workspace.host_public_key, "ssh-ed25519 AAAAhost");
   EXPECT_EQ(credentials.kind, DPP_CREDENTIAL_PASSWORD);
   EXPECT_STREQ(credentials.password, "tiny-password");
   EXPECT_EQ(credentials.private_key_file, nullptr);
   credentials.struct_size = 8;
   EXPECT_EQ(auth->credentials(auth, &credentials, &error), DPP_E_INVALID_ARGUMENT);
   auth->destroy(auth);
}

}  // namespace
}  // namespace dpp::test

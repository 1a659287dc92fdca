// The dpp_host table the host hands to plugins: each plugin's private state in the machine's
// file, the checks on keys and values, and the services that need a machine or a transport
// saying so instead of failing obscurely.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "loader/host_services.hpp"
#include "logging/logging.hpp"
#include "state/machine_state.hpp"
#include "support/temp_dir.hpp"

namespace dpp::core {
namespace {

dpp_error fresh_error() {
   dpp_error error{};
   error.struct_size = sizeof error;
   return error;
}

class HostTable : public ::testing::Test {
 protected:
   void SetUp() override {
      state_.load();
      services_.set_machine(&state_);
      host_ = services_.for_plugin("org.example.ssh-machine");
   }
   dpp_status set(const char* key, const char* value) {
      dpp_error error = fresh_error();
      return host_->state_set(host_, key, value, &error);
   }
   std::optional<std::string> get(const char* key, const dpp_host* host = nullptr) {
      host = host ? host : host_;
      char buffer[256];
      const dpp_status status = host->state_get(host, key, buffer, sizeof buffer, nullptr, nullptr);
      if (status == DPP_E_NOT_FOUND) return std::nullopt;
      EXPECT_EQ(status, DPP_OK);
      return std::string(buffer);
   }

   test::TempDir dir_{"dpp-host"};
   MachineState state_{dir_.file("m1"), "m1"};
   HostServices services_;
   const dpp_host* host_ = nullptr;
};

TEST_F(HostTable, DescribesTheHostAndItsAbi) {
   EXPECT_EQ(host_->struct_size, sizeof(dpp_host));
   EXPECT_EQ(host_->abi_version.major, static_cast<uint32_t>(DPP_ABI_VERSION_MAJOR));
   EXPECT_STREQ(host_->name, "dokploy-provider");
   EXPECT_STREQ(host_->version, DPP_PROVIDER_VERSION);
   EXPECT_EQ(services_.for_plugin("org.example.ssh-machine"), host_) << "one table per plugin, kept";
}

TEST_F(HostTable, GivesTheMachinesIdAndFolder) {
   EXPECT_STREQ(host_->machine_id(host_), "m1");
   EXPECT_STREQ(host_->machine_folder(host_), dir_.file("m1").c_str());
}

TEST_F(HostTable, ValueSetIsOnDiskBeforeTheCallReturns) {
   ASSERT_EQ(set("host", "build.example"), DPP_OK);
   MachineState reread(dir_.file("m1"), "m1");
   reread.load();
   EXPECT_EQ(reread.plugin_value("org.example.ssh-machine", "host"), "build.example");
   EXPECT_EQ(get("host"), "build.example");
}

TEST_F(HostTable, NullValueRemovesTheKey) {
   ASSERT_EQ(set("host", "build.example"), DPP_OK);
   ASSERT_EQ(set("host", nullptr), DPP_OK);
   EXPECT_EQ(get("host"), std::nullopt);
   MachineState reread(dir_.file("m1"), "m1");
   reread.load();
   EXPECT_EQ(reread.plugin_value("org.example.ssh-machine", "host"), std::nullopt);
}

TEST_F(HostTable, EachPluginSeesOnlyItsOwnKeys) {
   const dpp_host* other = services_.for_plugin("dokploy");
   ASSERT_EQ(set("id", "mine"), DPP_OK);
   EXPECT_EQ(get("id", other), std::nullopt);
}

TEST_F(HostTable, TooSmallABufferSaysHowMuchIsNeeded) {
   ASSERT_EQ(set("k", "twelve bytes"), DPP_OK);
   char small[4];
   std::size_t needed = 0;
   dpp_error error = fresh_error();
   EXPECT_EQ(host_->state_get(host_, "k", small, sizeof small, &needed, &error), DPP_E_BUFFER_TOO_SMALL);
   EXPECT_EQ(needed, 13u);
   EXPECT_STREQ(error.message, "the value of 'k' needs 13 bytes");
   EXPECT_EQ(host_->state_get(host_, "k", nullptr, 0, &needed, nullptr), DPP_E_BUFFER_TOO_SMALL);
   char exact[13];
   EXPECT_EQ(host_->state_get(host_, "k", exact, sizeof exact, nullptr, nullptr), DPP_OK);
   EXPECT_STREQ(exact, "twelve bytes");
}

TEST_F(HostTable, KeysOutsideTheirAlphabetOrLengthAreInvalid) {
   for (const char* key : {"", "UPPER", "with space", "slash/key", "../escape", "k\n"})
      EXPECT_EQ(set(key, "v"), DPP_E_INVALID_ARGUMENT) << key;
   EXPECT_EQ(set(std::string(65, 'k').c_str(), "v"), DPP_E_INVALID_ARGUMENT);
   EXPECT_EQ(set(std::string(64, 'k').c_str(), "v"), DPP_OK);
   EXPECT_EQ(set(nullptr, "v"), DPP_E_INVALID_ARGUMENT);
   char buffer[8];
   dpp_error error = fresh_error();
   EXPECT_EQ(host_->state_get(host_, "BAD KEY", buffer, sizeof buffer, nullptr, &error),
             DPP_E_INVALID_ARGUMENT);
   EXPECT_EQ(error.status, DPP_E_INVALID_ARGUMENT);
   EXPECT_STREQ(error.message, "state keys are [a-z0-9_.-]{1,64}");
}

TEST_F(HostTable, UnsetKeyIsNotFoundAndTheErrorNamesIt) {
   char buffer[8];
   dpp_error error = fresh_error();
   EXPECT_EQ(host_->state_get(host_, "never-set", buffer, sizeof buffer, nullptr, &error), DPP_E_NOT_FOUND);
   EXPECT_STREQ(error.message, "the machine state has no 'never-set'");
}

TEST_F(HostTable, ValuesMustBeUtf8AndAtMost64KiB) {
   dpp_error error = fresh_error();
   EXPECT_EQ(host_->state_set(host_, "k", "\xff\xfe", &error), DPP_E_INVALID_ARGUMENT);
   EXPECT_STREQ(error.message, "state values must be UTF-8");
   const std::string huge(64 * 1024 + 1, 'v');
   EXPECT_EQ(host_->state_set(host_, "k", huge.c_str(), &error), DPP_E_INVALID_ARGUMENT);
   EXPECT_STREQ(error.message, "state values are at most 64 KiB");
   EXPECT_EQ(set("k", std::string(64 * 1024, 'v').c_str()), DPP_OK);
}

TEST_F(HostTable, StateIsUnsupportedWithoutAMachine) {
   services_.set_machine(nullptr);
   dpp_error error = fresh_error();
   EXPECT_EQ(host_->state_set(host_, "k", "v", &error), DPP_E_UNSUPPORTED);
   EXPECT_STREQ(error.message, "no machine in this invocation");
   char buffer[8];
   error = fresh_error();
   EXPECT_EQ(host_->state_get(host_, "k", buffer, sizeof buffer, nullptr, &error), DPP_E_UNSUPPORTED);
   EXPECT_STREQ(error.message, "no machine in this invocation");
   EXPECT_EQ(host_->machine_id(host_), nullptr);
   EXPECT_EQ(host_->machine_folder(host_), nullptr);
}

TEST_F(HostTable, EndpointCheckWithoutATransportSaysSo) {
   dpp_error error = fresh_error();
   EXPECT_EQ(host_->check_endpoint(host_, "build.example", 22, nullptr, 1000, &error), DPP_E_UNSUPPORTED);
   EXPECT_STREQ(error.message, "no SSH transport is loaded in this invocation");
}

TEST_F(HostTable, EndpointCheckPassesTheKeyAndReturnsTheCheckersVerdict) {
   std::string seen_host, seen_key;
   services_.set_endpoint_checker(
       [&](const std::string& host, uint16_t port, const std::string& key, uint32_t, std::string& message) {
          seen_host = host + ":" + std::to_string(port);
          seen_key = key;
          message = "another key answered";
          return DPP_E_HOST_KEY_MISMATCH;
       });
   dpp_error error = fresh_error();
   EXPECT_EQ(host_->check_endpoint(host_, "build.example", 2200, "ssh-ed25519 AAAA", 1000, &error),
             DPP_E_HOST_KEY_MISMATCH);
   EXPECT_EQ(seen_host, "build.example:2200");
   EXPECT_EQ(seen_key, "ssh-ed25519 AAAA");
   EXPECT_STREQ(error.message, "another key answered");
   EXPECT_EQ(host_->check_endpoint(host_, "", 22, nullptr, 1000, &error), DPP_E_INVALID_ARGUMENT);
   EXPECT_EQ(host_->check_endpoint(host_, "h", 0, nullptr, 1000, &error), DPP_E_INVALID_ARGUMENT);
   services_.set_endpoint_checker(nullptr);
}

// A checker that answers each call with the next of `answers` (the last one repeated).
EndpointChecker scripted(std::vector<dpp_status> answers, int& calls) {
   return
       [answers, &calls](const std::string&, uint16_t, const std::string&, uint32_t, std::string& message) {
          const dpp_status status = answers[std::min<std::size_t>(calls, answers.size() - 1)];
          ++calls;
          message = std::string("attempt ") + std::to_string(calls) + ": " + dpp_strerror(status);
          return status;
       };
}

TEST_F(HostTable, WaitForEndpointRetriesWhileNothingAnswersAndSucceedsOnceTheKeyDoes) {
   int calls = 0;
   services_.set_endpoint_checker(scripted({DPP_E_CONNECT, DPP_E_PROTOCOL, DPP_OK}, calls));
   dpp_error error = fresh_error();
   EXPECT_EQ(host_->wait_for_endpoint(host_, "build.example", 2200, nullptr, 60'000, &error), DPP_OK)
       << error.message;
   EXPECT_EQ(calls, 3);
}

TEST_F(HostTable, WaitForEndpointStopsAtOnceWhenAnotherHostKeyAnswers) {
   int calls = 0;
   services_.set_endpoint_checker(scripted({DPP_E_CONNECT, DPP_E_HOST_KEY_MISMATCH}, calls));
   dpp_error error = fresh_error();
   EXPECT_EQ(host_->wait_for_endpoint(host_, "build.example", 2200, nullptr, 60'000, &error),
             DPP_E_HOST_KEY_MISMATCH);
   EXPECT_EQ(calls, 2);
   EXPECT_STREQ(error.message, "attempt 2: host key does not match the pinned key");
}

TEST_F(HostTable, WaitForEndpointGivesUpAtItsBoundWithTheLastAnswer) {
   int calls = 0;
   services_.set_endpoint_checker(scripted({DPP_E_CONNECT}, calls));
   dpp_error error = fresh_error();
   EXPECT_EQ(host_->wait_for_endpoint(host_, "build.example", 2200, nullptr, 0, &error), DPP_E_CONNECT);
   EXPECT_EQ(calls, 1);
   EXPECT_STREQ(error.message, "attempt 1: could not connect");
}

TEST_F(HostTable, WaitForEndpointEndsAsCancelledWhenTheUserStops) {
   int calls = 0;
   services_.set_endpoint_checker(
       [&calls](const std::string&, uint16_t, const std::string&, uint32_t, std::string& message) {
          ++calls;
          HostServices::request_cancel();  // Ctrl-C while the workspace starts
          message = "refused";
          return dpp_status{DPP_E_CONNECT};
       });
   dpp_error error = fresh_error();
   EXPECT_EQ(host_->wait_for_endpoint(host_, "build.example", 2200, nullptr, 60'000, &error),
             DPP_E_CANCELLED);
   HostServices::reset_cancel();
   EXPECT_EQ(calls, 1);
   EXPECT_STREQ(error.message, "cancelled while connecting to build.example:2200");
}

TEST_F(HostTable, WaitForEndpointWithoutATransportSaysSoAtOnce) {
   dpp_error error = fresh_error();
   EXPECT_EQ(host_->wait_for_endpoint(host_, "build.example", 22, nullptr, 60'000, &error),
             DPP_E_UNSUPPORTED);
   EXPECT_STREQ(error.message, "no SSH transport is loaded in this invocation");
}

TEST_F(HostTable, AnErrorRecordWithoutStructSizeIsWarnedAboutNotSilentlyLeftEmpty) {
   std::ostringstream logged;
   auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(logged);
   log().sinks().push_back(sink);
   dpp_error error{};  // a C author forgot struct_size (DPP_ERROR_INIT sets it)
   const dpp_status status = host_->state_set(host_, "BAD KEY", "v", &error);
   log().sinks().pop_back();
   EXPECT_EQ(status, DPP_E_INVALID_ARGUMENT);
   EXPECT_STREQ(error.message, "") << "the record is too small to be written";
   EXPECT_NE(
       logged.str().find("org.example.ssh-machine: the dpp_error it passed has struct_size 0 instead of "
                         "2056, so it gets no message; initialise it with DPP_ERROR_INIT. The message: "
                         "state keys are [a-z0-9_.-]{1,64}"),
       std::string::npos)
       << logged.str();
}

TEST_F(HostTable, CancellationIsVisibleToPluginsOnceRequested) {
   EXPECT_FALSE(host_->is_cancelled(host_));
   HostServices::request_cancel();
   EXPECT_TRUE(host_->is_cancelled(host_));
   HostServices::reset_cancel();
   EXPECT_FALSE(host_->is_cancelled(host_));
}

TEST_F(HostTable, LoggingAcceptsHostileTextWithoutCrashing) {
   // Newlines, escape sequences, invalid UTF-8 and huge lines are escaped or cut, never fatal.
   const std::string huge(100 * 1024, 'x');
   for (const char* text : {"plain", "two\nlines", "\x1b[31mred", "\xff\xfe", huge.c_str(), ""})
      host_->log(host_, DPP_LOG_ERROR + 10, text);
   host_->log(host_, -5, nullptr);
   EXPECT_TRUE(host_->log_enabled(host_, DPP_LOG_CRITICAL));
}

}  // namespace
}  // namespace dpp::core

// The fixture of the Dokploy plugin tests: an emulator per test process (started once per
// option set, stopped by PID at exit), reset before each test; the backend's options; an SSH
// stand-in that answers from the emulator's workspaces; and the checks every test ends with
// (no request failed Dokploy's schema).
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "plugin_harness.hpp"
#include "support/emulator.hpp"

// EXPECT that `text` contains `needle`, showing both when it does not.
#define DPP_EXPECT_CONTAINS(text, needle)                       \
   EXPECT_NE(std::string(text).find(needle), std::string::npos) \
       << "expected \"" << (needle) << "\" in: " << (text)

namespace dpp::test::dokploy {

// An emulator shared by the tests of one process, one per distinct option set.
Emulator& shared_emulator(const EmulatorOptions& options = {});

// The backend options of a test against `emulator` (fast polling, short timeouts).
std::map<std::string, std::string> backend_options(const Emulator& emulator);

// check_endpoint as the real transport would answer it against the emulator's (NullRunner)
// workspaces: DPP_OK when a running workspace publishes host:port and proves `host_key`,
// DPP_E_HOST_KEY_MISMATCH when another one does, DPP_E_CONNECT when none does.
FakeHost::EndpointCheck emulated_ssh(const Emulator& emulator, const std::string& host_key);

// Our services (named devpod-…) in the emulator's model.
std::vector<nlohmann::json> our_services(const Emulator& emulator);
// The workspace spec the emulator's runner got for a service appName (null when none).
nlohmann::json workspace_of(const Emulator& emulator, const std::string& app_name);
// Counts per procedure of the /api/ requests in the emulator's log.
std::map<std::string, int> request_counts(const Emulator& emulator);
std::string describe_counts(const std::map<std::string, int>& counts);
int total(const std::map<std::string, int>& counts, const std::vector<std::string>& except = {});

class DokployPluginTest : public ::testing::Test {
 protected:
   virtual EmulatorOptions emulator_options() const { return {}; }
   void SetUp() override;
   void TearDown() override;

   Emulator& emulator() { return *emulator_; }
   // A fake host for `machine_id`, whose SSH stand-in knows the spec's host key.
   FakeHost& host_for(const TestSpec& spec);
   std::map<std::string, std::string> options() { return backend_options(*emulator_); }

   Emulator* emulator_ = nullptr;
   std::vector<std::unique_ptr<FakeHost>> hosts_;
};

}  // namespace dpp::test::dokploy

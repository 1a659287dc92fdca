// What the whole DevPod conformance suite shares: one emulator with real workspaces (and a
// second emulated server on 127.0.0.2), the step log, which DevPod drives the provider (the real
// CLI or the in-house driver, printed at the start), and the reason to skip when this machine
// cannot run it. Started once before the first test, stopped by PID after the last.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "support/devpod_client.hpp"
#include "support/devpod_steps.hpp"
#include "support/emulator.hpp"

namespace dpp::test::devpod {

class ConformanceEnvironment : public ::testing::Environment {
 public:
   static ConformanceEnvironment& get();

   void SetUp() override;
   void TearDown() override;

   // Empty when the suite can run; otherwise why not (printed by DPP_SKIP).
   const std::string& skip_reason() const { return skip_reason_; }
   Emulator& emulator() { return *emulator_; }
   StepLog& log() { return log_; }
   // The dokploy-provider the suite drives (DPP_E2E_PROVIDER overrides the build's).
   const std::string& provider_binary() const { return provider_binary_; }
   // The real CLI or the in-house driver (choose_devpod); its `error` fails every test.
   const DevPodChoice& devpod() const { return devpod_; }
   // A range of SSH ports of our own, so concurrent test runs do not collide.
   const std::string& port_range() const { return port_range_; }
   static constexpr const char* kRemoteServerId = "srv-e2e-remote";
   static constexpr const char* kRemoteAddress = "127.0.0.2";

 private:
   std::string skip_reason_;
   DevPodChoice devpod_;
   std::unique_ptr<Emulator> emulator_;
   StepLog log_{"[devpod e2e] ", &std::cout};
   std::string provider_binary_;
   std::string port_range_;
};

}  // namespace dpp::test::devpod

// The shared emulator of the DevPod conformance suite.
#include "conformance_environment.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <random>

#include "support/test_paths.hpp"

namespace dpp::test::devpod {
namespace {

// Registered before main(), so gtest_main runs SetUp before the first test.
ConformanceEnvironment* const registered = [] {
   auto* environment = new ConformanceEnvironment();
   ::testing::AddGlobalTestEnvironment(environment);
   return environment;
}();

}  // namespace

ConformanceEnvironment& ConformanceEnvironment::get() {
   return *registered;
}

void ConformanceEnvironment::SetUp() {
   const char* override_binary = std::getenv("DPP_E2E_PROVIDER");
   provider_binary_ = override_binary && *override_binary ? override_binary : provider_path();
   if (!running_as_root()) {
      skip_reason_ =
          "needs root: DevPod's workspaces are real Debian systems in namespaces (CI runs as root)";
      return;
   }
   if (::access(provider_binary_.c_str(), X_OK) != 0) {
      skip_reason_ = provider_binary_ + " is not built";
      return;
   }
   for (const char* plugin :
        {"dpp-dokploy.so", "dpp-libssh2.so", "dpp-system.so", "dpp-key.so", "dpp-password.so"})
      if (::access((plugin_dir() + "/" + plugin).c_str(), R_OK) != 0) {
         skip_reason_ = std::string("plugin ") + plugin + " is not built in " + plugin_dir();
         return;
      }
   devpod_ = choose_devpod();
   std::cout << "[devpod e2e] DevPod: " << describe(devpod_) << "\n";
   if (devpod_.real_binary)
      std::cout << "[devpod e2e] through it: provider add, machine create/status/stop/start/delete and every "
                   "workspace command (machine ssh --command, which injects DevPod's agent); on the "
                   "in-house driver beside it, the provider's raw contract DevPod cannot be asked for: "
                   "SIGINT during a command, status after delete, delete again\n";
   std::random_device random;
   const int base = 30000 + static_cast<int>(random() % 300) * 100;
   port_range_ = std::to_string(base) + "-" + std::to_string(base + 99);
   EmulatorOptions options;
   options.runner = "workspace";
   options.servers = {{.server_id = kRemoteServerId, .name = "e2e-remote", .ip_address = kRemoteAddress}};
   std::cout << "[devpod e2e] starting the Dokploy emulator with real workspaces (runner: workspace)\n";
   emulator_ = std::make_unique<Emulator>(options);
   std::cout << "[devpod e2e] emulator at " << emulator_->url() << " (PID " << emulator_->pid()
             << "), SSH ports " << port_range_ << ", provider " << provider_binary_ << "\n";
}

void ConformanceEnvironment::TearDown() {
   if (!log_.records().empty()) {
      std::cout << "\n[devpod e2e] seconds per step and combination (reported, never asserted):\n";
      log_.print_matrix(std::cout);
   }
   emulator_.reset();  // stops the emulator (and with it every workspace) by PID
}

}  // namespace dpp::test::devpod

// A tiny plugin written with plugin.hpp (backend, transport and auth in one), linked into the SDK
// test binary so that the tests can drive the generated C ABI and watch what the classes saw.
#pragma once

#include <dpp/cpp/plugin.hpp>

#include <string>
#include <vector>

namespace dpp::test::tiny {

// What the plugin's classes observed, for the tests to check.
struct Observed {
   int init_calls = 0;
   int deinit_calls = 0;
   bool last_remove_kept_volumes = false;
   std::string last_command;
   sdk::WorkspaceSpec last_spec;
   int transport_cancels = 0;
};
Observed& observed();

// The exported entry of this binary (DPP_SDK_EXPORT_PLUGIN in tiny_plugin.cpp).
const dpp_plugin_entry* entry(uint32_t host_major = DPP_ABI_VERSION_MAJOR,
                              uint32_t host_minor = DPP_ABI_VERSION_MINOR);

}  // namespace dpp::test::tiny

// The guard of the frozen ABI 1.0 (docs/plugin-authoring.md): its layout, pinned by static
// assertions in this C++20 file and in c11_layout.c (both include abi_pins.h) and compared member
// by member between the two compilers at run time, and the signatures settled for 1.0.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <type_traits>

#include "abi_pins.h"
#include "layout_table.h"
#include "support/test_paths.hpp"

namespace {

#define DPP_LAYOUT_SIZE(type, size) {"sizeof(" #type ")", sizeof(type), (size)},
#define DPP_LAYOUT_OFFSET(type, member, offset) \
   {"offsetof(" #type ", " #member ")", offsetof(type, member), (offset)},
const dpp_test_layout_entry kCxxLayout[] = {
#include "abi_layout.def"
};
#undef DPP_LAYOUT_SIZE
#undef DPP_LAYOUT_OFFSET

TEST(AbiLayout, CAndCxxCompilersAgreeOnEverySizeAndOffset) {
   std::size_t count = 0;
   const dpp_test_layout_entry* c11 = dpp_test_c11_layout(&count);
   ASSERT_EQ(count, std::size(kCxxLayout));
   for (std::size_t i = 0; i < count; ++i) {
      EXPECT_STREQ(c11[i].what, kCxxLayout[i].what);
      EXPECT_EQ(c11[i].measured, kCxxLayout[i].measured) << kCxxLayout[i].what;
   }
}

TEST(AbiLayout, EveryStructHasItsPinnedLayoutOnLp64Linux) {
   if (!DPP_TEST_ABI_PINNED_PLATFORM) DPP_SKIP("the pinned numbers are for LP64 Linux on x86_64 and aarch64");
   for (const auto& entry : kCxxLayout) EXPECT_EQ(entry.measured, entry.pinned) << entry.what;
}

TEST(AbiLayout, EveryTopLevelStructBeginsWithItsStructSize) {
   // Rule 2: a receiver reads struct_size before anything else, whatever the struct.
   EXPECT_EQ(offsetof(dpp_host, struct_size), 0u);
   EXPECT_EQ(offsetof(dpp_plugin_entry, struct_size), 0u);
   EXPECT_EQ(offsetof(dpp_error, struct_size), 0u);
   EXPECT_EQ(offsetof(dpp_option_desc, struct_size), 0u);
   EXPECT_EQ(offsetof(dpp_options, struct_size), 0u);
   EXPECT_EQ(offsetof(dpp_workspace_spec, struct_size), 0u);
   EXPECT_EQ(offsetof(dpp_workspace_info, struct_size), 0u);
   EXPECT_EQ(offsetof(dpp_backend, struct_size), 0u);
   EXPECT_EQ(offsetof(dpp_backend_factory, struct_size), 0u);
   EXPECT_EQ(offsetof(dpp_credentials, struct_size), 0u);
   EXPECT_EQ(offsetof(dpp_ssh_target, struct_size), 0u);
   EXPECT_EQ(offsetof(dpp_run_request, struct_size), 0u);
   EXPECT_EQ(offsetof(dpp_run_result, struct_size), 0u);
   EXPECT_EQ(offsetof(dpp_transport, struct_size), 0u);
   EXPECT_EQ(offsetof(dpp_transport_factory, struct_size), 0u);
   EXPECT_EQ(offsetof(dpp_workspace_auth, struct_size), 0u);
   EXPECT_EQ(offsetof(dpp_auth, struct_size), 0u);
   EXPECT_EQ(offsetof(dpp_auth_factory, struct_size), 0u);
}

TEST(AbiLayout, EveryFactoryIsStructSizeThenCreate) {
   // The host validates any factory through this common head before it knows its kind.
   EXPECT_EQ(offsetof(dpp_backend_factory, create), offsetof(dpp_transport_factory, create));
   EXPECT_EQ(offsetof(dpp_backend_factory, create), offsetof(dpp_auth_factory, create));
}

TEST(AbiLayout, CapabilityIdsAndTheEntrySymbolAreFixedStrings) {
   EXPECT_STREQ(DPP_BACKEND_FACTORY_ID, "dpp.backend/1");
   EXPECT_STREQ(DPP_TRANSPORT_FACTORY_ID, "dpp.transport/1");
   EXPECT_STREQ(DPP_AUTH_FACTORY_ID, "dpp.auth/1");
   EXPECT_STREQ(DPP_PLUGIN_ENTRY_SYMBOL, "dpp_get_plugin_entry");
}

// The table functions whose signatures were settled for 1.0 (issue 14): a changed parameter list
// would keep every size and offset, so it is pinned here by type.
static_assert(
    std::is_same_v<decltype(dpp_host::state_get),
                   dpp_status (*)(const dpp_host*, const char*, char*, size_t, size_t*, dpp_error*)>,
    "dpp_host.state_get reports through a dpp_error like every fallible host call");
static_assert(
    std::is_same_v<decltype(dpp_host::wait_for_endpoint),
                   dpp_status (*)(const dpp_host*, const char*, uint16_t, const char*, uint32_t, dpp_error*)>,
    "dpp_host.wait_for_endpoint has check_endpoint's arguments");
static_assert(std::is_same_v<decltype(dpp_auth::prepare), dpp_status (*)(dpp_auth*, uint32_t, dpp_error*)>,
              "dpp_auth.prepare takes no folder: dpp_host.machine_folder is the one source");
static_assert(std::is_same_v<decltype(dpp_version::minor), uint32_t> && sizeof(dpp_version) == 8,
              "dpp_version is major and minor, no patch");

TEST(AbiLayout, TheBootstrapEnvironmentHasFixedNames) {
   // Workspace images and third-party backends rely on these names (backend.h).
   EXPECT_STREQ(DPP_ENV_SSH_PORT, "DPP_SSH_PORT");
   EXPECT_STREQ(DPP_ENV_SSH_USER, "DPP_SSH_USER");
   EXPECT_STREQ(DPP_ENV_SSH_AUTHORIZED_KEY, "DPP_SSH_AUTHORIZED_KEY");
   EXPECT_STREQ(DPP_ENV_SSH_PASSWORD_HASH, "DPP_SSH_PASSWORD_HASH");
   EXPECT_STREQ(DPP_ENV_SSH_HOST_KEY, "DPP_SSH_HOST_KEY");
   EXPECT_STREQ(DPP_ENV_DOCKERD, "DPP_DOCKERD");
}

}  // namespace

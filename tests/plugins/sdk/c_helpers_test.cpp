// dpp/c/helpers.h as a C plugin uses it (compiled as C11 in c11_helpers.c): initialisers that set
// struct_size, printf-style errors and log lines, state read into allocated memory, and the
// check of a host member.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "c_helpers_table.h"
#include "fake_host.hpp"

namespace dpp::test {
namespace {

TEST(CHelpers, InitialisersSetStructSizeAndTheNamedMembers) {
   const dpp_error error = dpp_test_c_error_init();
   EXPECT_EQ(error.struct_size, sizeof(dpp_error));
   EXPECT_EQ(error.status, DPP_OK);
   EXPECT_STREQ(error.message, "");

   std::size_t count = 0;
   const dpp_option_desc* options = dpp_test_c_options(&count);
   ASSERT_EQ(count, 2u);
   EXPECT_EQ(options[0].struct_size, sizeof(dpp_option_desc));
   EXPECT_EQ(options[0].type, DPP_OPTION_PORT);
   EXPECT_STREQ(options[0].default_value, "22");
   EXPECT_EQ(options[0].group, nullptr);
   EXPECT_EQ(options[1].flags, static_cast<uint32_t>(DPP_OPTION_SECRET | DPP_OPTION_REQUIRED));
   EXPECT_STREQ(options[1].group, "connection");

   const dpp_plugin_entry* entry = dpp_test_c_entry();
   EXPECT_EQ(entry->struct_size, sizeof(dpp_plugin_entry));
   EXPECT_EQ(entry->abi_version.major, static_cast<uint32_t>(DPP_ABI_VERSION_MAJOR));
   EXPECT_EQ(entry->abi_version.minor, static_cast<uint32_t>(DPP_ABI_VERSION_MINOR));
   EXPECT_STREQ(entry->id, "test.c-helpers");
   EXPECT_EQ(entry->init, nullptr);
   EXPECT_EQ(dpp_test_c_factory()->struct_size, sizeof(dpp_auth_factory));
}

TEST(CHelpers, FailFormatsTheMessageAndReturnsTheStatus) {
   dpp_error error = dpp_test_c_error_init();
   EXPECT_EQ(dpp_test_c_fail(&error, "SSH_PORT", 70000), DPP_E_CONFIG);
   EXPECT_EQ(error.status, DPP_E_CONFIG);
   EXPECT_STREQ(error.message, "SSH_PORT=70000 is not a port");
   EXPECT_EQ(dpp_test_c_fail(nullptr, "SSH_PORT", 0), DPP_E_CONFIG);
}

TEST(CHelpers, OptionsGetFindsAValueByNameOrSaysItIsUnset) {
   const dpp_option_value items[] = {{"C_PORT", "2222"}, {"C_TOKEN", "t"}};
   const dpp_options options = {sizeof(dpp_options), 2, items};
   EXPECT_STREQ(dpp_test_c_options_get(&options, "C_TOKEN"), "t");
   EXPECT_EQ(dpp_test_c_options_get(&options, "C_USER"), nullptr);
   EXPECT_EQ(dpp_test_c_options_get(nullptr, "C_PORT"), nullptr);
}

TEST(CHelpers, LogFormatsOnlyWhatTheHostWouldWrite) {
   FakeHost host;
   host.level = DPP_LOG_INFO;
   dpp_test_c_log(host.get(), DPP_LOG_DEBUG, 1);
   dpp_test_c_log(host.get(), DPP_LOG_INFO, 2222);
   ASSERT_EQ(host.lines.size(), 1u);
   EXPECT_EQ(host.lines[0], std::make_pair(int32_t{DPP_LOG_INFO}, std::string("listening on 2222")));
   dpp_test_c_log(nullptr, DPP_LOG_INFO, 1);  // no host: nothing, no crash
}

TEST(CHelpers, StateGetAllocReadsAValueOfAnySizeAndSaysWhenItIsUnset) {
   FakeHost host;
   host.state["big"] = std::string(5000, 'v');
   char* value = nullptr;
   dpp_error error = dpp_test_c_error_init();
   ASSERT_EQ(dpp_test_c_state_get_alloc(host.get(), "big", &value, &error), DPP_OK) << error.message;
   ASSERT_NE(value, nullptr);
   EXPECT_EQ(std::string(value), std::string(5000, 'v'));
   std::free(value);
   EXPECT_EQ(host.state_get_calls, 2);  // one too small, one that fits

   EXPECT_EQ(dpp_test_c_state_get_alloc(host.get(), "unset", &value, &error), DPP_E_NOT_FOUND);
   EXPECT_EQ(value, nullptr);
}

TEST(CHelpers, AHostOlderThanAMemberDoesNotHaveIt) {
   FakeHost host;
   EXPECT_EQ(dpp_test_c_host_has_state_get(host.get()), 1);
   host.cut_before(offsetof(dpp_host, state_get));
   EXPECT_EQ(dpp_test_c_host_has_state_get(host.get()), 0);
   EXPECT_EQ(dpp_test_c_host_has_state_get(nullptr), 0);
   char* value = nullptr;
   dpp_error error = dpp_test_c_error_init();
   EXPECT_EQ(dpp_test_c_state_get_alloc(host.get(), "k", &value, &error), DPP_E_UNSUPPORTED);
   EXPECT_EQ(host.state_get_calls, 0);
}

}  // namespace
}  // namespace dpp::test

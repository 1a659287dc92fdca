// The SDK's public headers: each one compiled alone as C11 and C++20 (by this binary's build),
// and the inline helpers they define behave the same in both languages.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <dpp/dpp.h>

#include <cstring>
#include <filesystem>
#include <set>
#include <string>

#include "layout_table.h"
#include "support/test_paths.hpp"

namespace {

std::set<std::string> split_list(const std::string& text) {
   std::set<std::string> items;
   std::size_t start = 0;
   while (start <= text.size()) {
      const auto end = text.find(',', start);
      const std::string item = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (!item.empty()) items.insert(item);
      if (end == std::string::npos) break;
      start = end + 1;
   }
   return items;
}

// The headers in the source tree now (the build's list could be stale).
std::set<std::string> headers_in_sdk(const std::set<std::string>& extensions) {
   namespace fs = std::filesystem;
   const fs::path include = fs::path(dpp::test::source_dir()) / "sdk" / "include";
   std::set<std::string> found;
   for (const auto& entry : fs::recursive_directory_iterator(include))
      if (entry.is_regular_file() && extensions.count(entry.path().extension().string()))
         found.insert(fs::relative(entry.path(), include).generic_string());
   return found;
}

TEST(SdkHeaders, EveryPublicCHeaderWasCompiledAloneAsC11) {
   EXPECT_EQ(split_list(DPP_SDK_HEADERS_COMPILED_AS_C11), headers_in_sdk({".h"}));
}

TEST(SdkHeaders, EveryPublicHeaderWasCompiledAloneAsCxx20) {
   EXPECT_EQ(split_list(DPP_SDK_HEADERS_COMPILED_AS_CXX20), headers_in_sdk({".h", ".hpp"}));
   EXPECT_TRUE(split_list(DPP_SDK_HEADERS_COMPILED_AS_CXX20).count("dpp/cpp/plugin.hpp"));
}

TEST(SdkHeaders, StatusNamesAreTheSameInCAndCxxAndUnknownCodesHaveOne) {
   for (dpp_status status = 5; status >= -40; --status)
      EXPECT_STREQ(dpp_status_name(status), dpp_test_c11_status_name(status)) << status;
   EXPECT_STREQ(dpp_status_name(DPP_E_HOST_KEY_MISMATCH), "DPP_E_HOST_KEY_MISMATCH");
   EXPECT_STREQ(dpp_status_name(-1000), "DPP_E_UNKNOWN");
   EXPECT_STREQ(dpp_strerror(-1000), "unknown error");
}

TEST(SdkHeaders, EveryKnownStatusHasANameAndAMessage) {
   for (dpp_status status = DPP_OK; status >= DPP_E_CONNECTION_LOST; --status) {
      EXPECT_STRNE(dpp_status_name(status), "DPP_E_UNKNOWN") << status;
      EXPECT_STRNE(dpp_strerror(status), "unknown error") << status;
   }
}

TEST(SdkHeaders, EveryStatusIsNamedAfterItsOwnConstant) {
   // dpp_status_name and dpp_strerror read one table in code order: a row out of place shows here.
#define DPP_EXPECT_NAMED(code) EXPECT_STREQ(dpp_status_name(code), #code)
   DPP_EXPECT_NAMED(DPP_OK);
   DPP_EXPECT_NAMED(DPP_E_INVALID_ARGUMENT);
   DPP_EXPECT_NAMED(DPP_E_UNSUPPORTED);
   DPP_EXPECT_NAMED(DPP_E_NOT_FOUND);
   DPP_EXPECT_NAMED(DPP_E_CONFIG);
   DPP_EXPECT_NAMED(DPP_E_AUTH);
   DPP_EXPECT_NAMED(DPP_E_CONNECT);
   DPP_EXPECT_NAMED(DPP_E_TIMEOUT);
   DPP_EXPECT_NAMED(DPP_E_CANCELLED);
   DPP_EXPECT_NAMED(DPP_E_HOST_KEY_MISMATCH);
   DPP_EXPECT_NAMED(DPP_E_PROTOCOL);
   DPP_EXPECT_NAMED(DPP_E_REMOTE);
   DPP_EXPECT_NAMED(DPP_E_CONFLICT);
   DPP_EXPECT_NAMED(DPP_E_IO);
   DPP_EXPECT_NAMED(DPP_E_BUFFER_TOO_SMALL);
   DPP_EXPECT_NAMED(DPP_E_VERSION);
   DPP_EXPECT_NAMED(DPP_E_INTERNAL);
   DPP_EXPECT_NAMED(DPP_E_CONNECTION_LOST);
#undef DPP_EXPECT_NAMED
   EXPECT_STREQ(dpp_strerror(DPP_E_TIMEOUT), "timed out");
   EXPECT_STREQ(dpp_strerror(DPP_E_CONNECTION_LOST), "connection lost");
   EXPECT_STREQ(dpp_status_name(DPP_E_CONNECTION_LOST - 1), "DPP_E_UNKNOWN");
   EXPECT_STREQ(dpp_strerror(1), "unknown error");
}

TEST(SdkHeaders, ErrorSetFillsTheRecordAndReturnsTheStatus) {
   dpp_error error{};
   error.struct_size = sizeof error;
   EXPECT_EQ(dpp_test_c11_error_set(&error, DPP_E_CONFIG, "SSH_MACHINE_PORT is not a port"), DPP_E_CONFIG);
   EXPECT_EQ(error.status, DPP_E_CONFIG);
   EXPECT_STREQ(error.message, "SSH_MACHINE_PORT is not a port");
   EXPECT_EQ(dpp_error_set(nullptr, DPP_E_IO, "nowhere to write"), DPP_E_IO);
   EXPECT_EQ(dpp_error_set(&error, DPP_E_IO, nullptr), DPP_E_IO);
   EXPECT_STREQ(error.message, "");
}

TEST(SdkHeaders, ErrorSetLeavesAnErrorRecordFromAnOlderSmallerCallerAlone) {
   dpp_error error{};
   error.struct_size = 8;
   std::strcpy(error.message, "untouched");
   EXPECT_EQ(dpp_test_c11_error_set(&error, DPP_E_IO, "would overflow an older caller"), DPP_E_IO);
   EXPECT_STREQ(error.message, "untouched");
   EXPECT_EQ(error.status, DPP_OK);
}

TEST(SdkHeaders, ErrorSetCutsALongMessageAtAUtf8Boundary) {
   // 2047 bytes fit; "é" is two bytes, so a message of 1100 of them must be cut at 2046.
   std::string message;
   for (int i = 0; i < 1100; ++i) message += "\xc3\xa9";
   dpp_error from_c{}, from_cxx{};
   from_c.struct_size = from_cxx.struct_size = sizeof(dpp_error);
   dpp_test_c11_error_set(&from_c, DPP_E_REMOTE, message.c_str());
   dpp_error_set(&from_cxx, DPP_E_REMOTE, message.c_str());
   EXPECT_EQ(std::strlen(from_c.message), 2046u);
   EXPECT_STREQ(from_c.message, from_cxx.message);
   EXPECT_EQ(std::string(from_c.message), message.substr(0, 2046));
}

TEST(SdkHeaders, VersionsAreCompatibleOnlyWithTheSameMajorAndNoNewerMinor) {
   const dpp_version host{1, 3};
   EXPECT_TRUE(dpp_version_is_compatible(host, dpp_version{1, 3}));
   EXPECT_TRUE(dpp_version_is_compatible(host, dpp_version{1, 0}));
   EXPECT_FALSE(dpp_version_is_compatible(host, dpp_version{1, 4}));
   EXPECT_FALSE(dpp_version_is_compatible(host, dpp_version{2, 0}));
   EXPECT_FALSE(dpp_version_is_compatible(host, dpp_version{0, 3}));
   EXPECT_EQ(dpp_test_c11_version_is_compatible(host, dpp_version{1, 4}), 0);
   EXPECT_EQ(dpp_test_c11_version_is_compatible(host, dpp_version{1, 2}), 1);
}

}  // namespace

// Option values by type: the canonical form plugins receive, and for each bad value a problem
// that says what is wrong without repeating the value (the caller decides whether it may).
#include <gtest/gtest.h>

#include <string>

#include "options/option_spec.hpp"

namespace dpp::core {
namespace {

OptionSpec spec_of(int32_t type, std::vector<std::string> enum_values = {}) {
   OptionSpec spec;
   spec.name = "TEST_OPTION";
   spec.type = type;
   spec.enum_values = std::move(enum_values);
   return spec;
}

std::string canonical(int32_t type, std::string_view raw) {
   const ParsedValue parsed = parse_option_value(spec_of(type), raw);
   EXPECT_TRUE(parsed.value.has_value()) << "'" << raw << "' was refused: " << parsed.problem;
   return parsed.value.value_or("");
}

std::string problem(int32_t type, std::string_view raw) {
   const ParsedValue parsed = parse_option_value(spec_of(type), raw);
   EXPECT_FALSE(parsed.value.has_value()) << "'" << raw << "' was accepted as " << parsed.value.value_or("");
   EXPECT_FALSE(parsed.problem.empty());
   return parsed.problem;
}

bool contains(const std::string& text, const std::string& part) {
   return text.find(part) != std::string::npos;
}

// ----- URL -----

TEST(OptionValues, UrlWithoutSchemeIsRejectedWithAnExample) {
   EXPECT_EQ(problem(DPP_OPTION_URL, "dokploy.example.com"), "has no scheme (http:// or https://)");
}

TEST(OptionValues, UrlWithAnotherSchemeIsRejected) {
   EXPECT_EQ(problem(DPP_OPTION_URL, "ftp://dokploy.example.com"), "must start with http:// or https://");
}

TEST(OptionValues, UrlLosesItsTrailingSlashes) {
   EXPECT_EQ(canonical(DPP_OPTION_URL, "https://dokploy.example.com//"), "https://dokploy.example.com");
   EXPECT_EQ(canonical(DPP_OPTION_URL, "http://10.0.0.5:3000/"), "http://10.0.0.5:3000");
   EXPECT_EQ(canonical(DPP_OPTION_URL, "https://[::1]:8443"), "https://[::1]:8443");
   EXPECT_EQ(canonical(DPP_OPTION_URL, "  https://example.com  "), "https://example.com");
}

TEST(OptionValues, UrlWithCredentialsIsRejectedPointingToTheTokenOption) {
   EXPECT_TRUE(contains(problem(DPP_OPTION_URL, "https://admin:hunter2@example.com"), "DOKPLOY_API_TOKEN"));
}

TEST(OptionValues, UrlWithoutHostOrWithABadPortIsRejected) {
   EXPECT_EQ(problem(DPP_OPTION_URL, "https://"), "has no host name");
   EXPECT_EQ(problem(DPP_OPTION_URL, "https://example.com:ssh"), "has a bad port");
   EXPECT_EQ(problem(DPP_OPTION_URL, "https://example.com:99999"), "has a port outside 1-65535");
   EXPECT_EQ(problem(DPP_OPTION_URL, "https://example.com:0"), "has a port outside 1-65535");
   EXPECT_EQ(problem(DPP_OPTION_URL, "https://example.com?x=1"), "must not have a query (?) or fragment (#)");
   EXPECT_EQ(problem(DPP_OPTION_URL, "https://example.com/api"), "must be the server's address without /api");
   EXPECT_EQ(problem(DPP_OPTION_URL, "https://exa mple.com"),
             "must not contain spaces or control characters");
}

// ----- port -----

TEST(OptionValues, PortIsPassedAsPlainDigits) {
   EXPECT_EQ(canonical(DPP_OPTION_PORT, " 22 "), "22");
   EXPECT_EQ(canonical(DPP_OPTION_PORT, "02222"), "2222");
   EXPECT_EQ(canonical(DPP_OPTION_PORT, "65535"), "65535");
   EXPECT_EQ(canonical(DPP_OPTION_PORT, "1"), "1");
}

TEST(OptionValues, PortOutsideTheTcpPortsIsRejected) {
   EXPECT_EQ(problem(DPP_OPTION_PORT, "0"), "is outside 1-65535");
   EXPECT_EQ(problem(DPP_OPTION_PORT, "000"), "is outside 1-65535");
   EXPECT_EQ(problem(DPP_OPTION_PORT, "65536"), "is outside 1-65535");
   EXPECT_EQ(problem(DPP_OPTION_PORT, "99999999999"), "is outside 1-65535");
   EXPECT_EQ(problem(DPP_OPTION_PORT, "twenty-two"), "is not a port number");
   EXPECT_EQ(problem(DPP_OPTION_PORT, "-22"), "is not a port number");
   EXPECT_EQ(problem(DPP_OPTION_PORT, "2222-2299"), "is not a port number");
}

// ----- size -----

TEST(OptionValues, SizeWithAnUnknownUnitIsRejected) {
   EXPECT_EQ(problem(DPP_OPTION_SIZE, "2x"), "is not a size");
}

TEST(OptionValues, SizesAreBytesInPowersOf1024) {
   EXPECT_EQ(canonical(DPP_OPTION_SIZE, "512m"), "536870912");
   EXPECT_EQ(canonical(DPP_OPTION_SIZE, "4g"), "4294967296");
   EXPECT_EQ(canonical(DPP_OPTION_SIZE, "4GiB"), "4294967296");
   EXPECT_EQ(canonical(DPP_OPTION_SIZE, "4GB"), "4294967296");
   EXPECT_EQ(canonical(DPP_OPTION_SIZE, "1.5g"), "1610612736");
   EXPECT_EQ(canonical(DPP_OPTION_SIZE, "1024k"), "1048576");
   EXPECT_EQ(canonical(DPP_OPTION_SIZE, "1000"), "1000");
}

TEST(OptionValues, ZeroOrAbsurdSizesAreRejected) {
   EXPECT_EQ(problem(DPP_OPTION_SIZE, "0"), "is not a sensible size");
   EXPECT_EQ(problem(DPP_OPTION_SIZE, "2000t"), "is not a sensible size");
   EXPECT_EQ(problem(DPP_OPTION_SIZE, "-1g"), "is not a size");
   EXPECT_EQ(problem(DPP_OPTION_SIZE, "1..5g"), "is not a size");
}

// ----- duration -----

TEST(OptionValues, DurationsAreWholeMilliseconds) {
   EXPECT_EQ(canonical(DPP_OPTION_DURATION, "90s"), "90000");
   EXPECT_EQ(canonical(DPP_OPTION_DURATION, "10m"), "600000");
   EXPECT_EQ(canonical(DPP_OPTION_DURATION, "1h30m"), "5400000");
   EXPECT_EQ(canonical(DPP_OPTION_DURATION, "500ms"), "500");
   EXPECT_EQ(canonical(DPP_OPTION_DURATION, "1.5s"), "1500");
   EXPECT_EQ(canonical(DPP_OPTION_DURATION, "20"), "20000");
}

TEST(OptionValues, DurationWithAnUnknownUnitOrBeyondThirtyDaysIsRejected) {
   EXPECT_EQ(problem(DPP_OPTION_DURATION, "10 minutes"), "is not a duration");
   EXPECT_EQ(problem(DPP_OPTION_DURATION, "5w"), "is not a duration");
   EXPECT_EQ(problem(DPP_OPTION_DURATION, "31d"), "is too long a duration (at most 30 days)");
   EXPECT_EQ(problem(DPP_OPTION_DURATION, "9999999999"), "is too long a duration (at most 30 days)");
}

// ----- boolean, integer, number, enum, host -----

TEST(OptionValues, BooleansAcceptTheUsualSpellingsInAnyCase) {
   for (const char* yes : {"true", "TRUE", "1", "yes", "On"})
      EXPECT_EQ(canonical(DPP_OPTION_BOOLEAN, yes), "true");
   for (const char* no : {"false", "0", "NO", "off"}) EXPECT_EQ(canonical(DPP_OPTION_BOOLEAN, no), "false");
   EXPECT_EQ(problem(DPP_OPTION_BOOLEAN, "maybe"), "is not a boolean");
}

TEST(OptionValues, IntegersAreDecimalDigitsWithAnOptionalSign) {
   EXPECT_EQ(canonical(DPP_OPTION_INTEGER, "22"), "22");
   EXPECT_EQ(canonical(DPP_OPTION_INTEGER, "-5"), "-5");
   EXPECT_EQ(problem(DPP_OPTION_INTEGER, "22.5"), "is not a whole number");
   EXPECT_EQ(problem(DPP_OPTION_INTEGER, "0x16"), "is not a whole number");
   EXPECT_EQ(problem(DPP_OPTION_INTEGER, "1234567890123456789"), "is not a whole number");
}

TEST(OptionValues, NumbersArePositiveDecimals) {
   EXPECT_EQ(canonical(DPP_OPTION_NUMBER, "1.5"), "1.5");
   EXPECT_EQ(problem(DPP_OPTION_NUMBER, "0"), "must be greater than 0");
   EXPECT_EQ(problem(DPP_OPTION_NUMBER, "1,5"), "is not a number");
   EXPECT_EQ(problem(DPP_OPTION_NUMBER, "nan"), "is not a number");
}

TEST(OptionValues, EnumValuesMatchInAnyCaseAndComeBackInTheDeclaredSpelling) {
   const OptionSpec spec = spec_of(DPP_OPTION_ENUM, {"compose", "Application"});
   EXPECT_EQ(parse_option_value(spec, "COMPOSE").value, "compose");
   EXPECT_EQ(parse_option_value(spec, "application").value, "Application");
   EXPECT_EQ(parse_option_value(spec, "swarm").problem, "is not one of the allowed values");
   EXPECT_EQ(option_type_expectation(spec), "one of: compose, Application");
}

TEST(OptionValues, HostsAreNamesOrAddressesWithoutPortOrScheme) {
   EXPECT_EQ(canonical(DPP_OPTION_HOST, "build-box.example.com"), "build-box.example.com");
   EXPECT_EQ(canonical(DPP_OPTION_HOST, "192.168.1.20"), "192.168.1.20");
   EXPECT_EQ(canonical(DPP_OPTION_HOST, "fe80::1"), "fe80::1");
   EXPECT_EQ(problem(DPP_OPTION_HOST, "example.com:22"), "must be a host name or address without a port");
   EXPECT_EQ(problem(DPP_OPTION_HOST, "ssh://example.com"), "must be a host name, not a URL");
   EXPECT_EQ(problem(DPP_OPTION_HOST, "-bad-.example"), "is not a host name or IP address");
   EXPECT_EQ(problem(DPP_OPTION_HOST, "a..b"), "is not a host name or IP address");
   EXPECT_EQ(problem(DPP_OPTION_HOST, std::string(254, 'a')), "is too long for a host name");
}

// ----- hostile values, whatever the type -----

TEST(OptionValues, TenKilobyteValueIsRejectedWithItsLength) {
   for (int32_t type : {DPP_OPTION_STRING, DPP_OPTION_URL, DPP_OPTION_PATH})
      EXPECT_EQ(problem(type, std::string(10 * 1024, 'a')), "is too long (10240 bytes; at most 4096)");
}

TEST(OptionValues, NonUtf8BytesAreRejected) {
   for (int32_t type : {DPP_OPTION_STRING, DPP_OPTION_URL, DPP_OPTION_HOST, DPP_OPTION_SIZE})
      EXPECT_EQ(problem(type, "caf\xe9"), "is not valid UTF-8 text");
   EXPECT_EQ(problem(DPP_OPTION_STRING, "\xc0\xaf"), "is not valid UTF-8 text");      // overlong '/'
   EXPECT_EQ(problem(DPP_OPTION_STRING, "\xed\xa0\x80"), "is not valid UTF-8 text");  // a surrogate
}

TEST(OptionValues, ControlCharactersSuchAsANewlineAreRejected) {
   EXPECT_EQ(problem(DPP_OPTION_STRING, "line one\nline two"),
             "contains control characters (such as a newline)");
   EXPECT_EQ(problem(DPP_OPTION_PATH, std::string("a\0b", 3)),
             "contains control characters (such as a newline)");
   EXPECT_EQ(problem(DPP_OPTION_STRING, "bell\x07"), "contains control characters (such as a newline)");
}

TEST(OptionValues, ValidUtf8TextIsPassedUnchangedWithItsSpaces) {
   EXPECT_EQ(canonical(DPP_OPTION_STRING, " Grüße, 世界 "), " Grüße, 世界 ");
   EXPECT_EQ(canonical(DPP_OPTION_PATH, " /path with spaces/ "), " /path with spaces/ ");
}

TEST(OptionValues, ProblemsNeverRepeatTheValue) {
   const std::string secret = "s3cr3t/t0ken value";
   for (int32_t type : {DPP_OPTION_URL, DPP_OPTION_SIZE, DPP_OPTION_DURATION, DPP_OPTION_BOOLEAN,
                        DPP_OPTION_INTEGER, DPP_OPTION_PORT, DPP_OPTION_HOST})
      EXPECT_FALSE(contains(problem(type, secret), secret)) << option_type_name(type);
}

TEST(OptionValues, UnknownTypeFromANewerPluginIsTreatedAsText) {
   EXPECT_EQ(canonical(99, "anything at all"), "anything at all");
   EXPECT_EQ(option_type_name(99), "string");
}

TEST(OptionValues, FromDescCopiesTheDeclarationAndDefaultsTheGroup) {
   dpp_option_desc desc{sizeof(dpp_option_desc),
                        "SSH_MACHINE_MODE",
                        "How.",
                        "fast",
                        DPP_OPTION_ENUM,
                        DPP_OPTION_SECRET | DPP_OPTION_REQUIRED,
                        "fast||safe|",
                        nullptr};
   const OptionSpec spec = OptionSpec::from_desc(desc, "org.example.ssh-machine");
   EXPECT_EQ(spec.name, "SSH_MACHINE_MODE");
   EXPECT_EQ(spec.default_value, "fast");
   EXPECT_TRUE(spec.secret);
   EXPECT_TRUE(spec.required);
   EXPECT_EQ(spec.enum_values, (std::vector<std::string>{"fast", "safe"}));
   EXPECT_EQ(spec.group, "advanced");
   EXPECT_EQ(spec.owner, "org.example.ssh-machine");
}

}  // namespace
}  // namespace dpp::core

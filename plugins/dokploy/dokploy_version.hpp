// Dokploy versions: parsing "v0.30.2" and what each version changed in the API the backend uses.
#pragma once

#include <compare>
#include <optional>
#include <string>

namespace dpp::dokploy {

struct Version {
   int major = 0;
   int minor = 0;
   int patch = 0;
   auto operator<=>(const Version&) const = default;
   std::string text() const;
};

// The oldest Dokploy this backend supports, and the newest it was checked against.
inline constexpr Version kOldestSupported{0, 24, 0};
inline constexpr Version kNewestKnown{0, 30, 2};

// "v0.30.2", "0.25", "v0.26.1-canary.3" -> the numbers; nullopt when it is not a version.
std::optional<Version> parse_version(const std::string& text);

// The API differences between versions (docs/compatibility.md, "Differences between Dokploy
// versions").
struct Features {
   Version version;
   // v0.25: projects hold environments; services take environmentId instead of projectId.
   bool environments = true;
   // v0.26: application.update's command is split on spaces and args[] holds the arguments;
   // before, the whole command ran through /bin/sh -c.
   bool command_args = true;
   // v0.25.6 / v0.26.1: application.saveEnvironment requires buildSecrets, then createEnvFile.
   bool env_build_secrets = true;
   bool env_create_file = true;
   // v0.30: compose.create / application.create accept sourceType.
   bool create_source_type = true;
   // Domains gained forwardAuthEnabled (Dokploy PR #4555, June 2026): absent in v0.26.0's source,
   // present in v0.30.2's; the first release with it is v0.29.14 at the latest. Older servers
   // drop the key silently, so the answer is checked as well.
   bool domain_forward_auth = true;

   static Features of(const Version& version);
};

}  // namespace dpp::dokploy

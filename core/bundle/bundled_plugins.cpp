// Detects the payload appended to the running executable and returns its unpacked plugin folder.
#include "bundle/bundled_plugins.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "bundle/bundle_cache.hpp"
#include "bundle/bundle_format.hpp"
#include "bundle/unique_fd.hpp"
#include "errors.hpp"
#include "logging/logging.hpp"

namespace dpp::core::bundle {
namespace fs = std::filesystem;
namespace {

std::optional<fs::path> absolute_env(const char* name) {
   const char* value = std::getenv(name);
   if (!value || value[0] != '/') return std::nullopt;
   return fs::path(value);
}

std::optional<fs::path> home_folder() {
   if (auto home = absolute_env("HOME")) return home;
   struct passwd entry {};
   struct passwd* found = nullptr;
   char buffer[4096];
   if (::getpwuid_r(::geteuid(), &entry, buffer, sizeof buffer, &found) == 0 && found && found->pw_dir &&
       found->pw_dir[0] == '/')
      return fs::path(found->pw_dir);
   return std::nullopt;
}

}  // namespace

std::vector<fs::path> cache_locations() {
   std::vector<fs::path> locations;
   auto add = [&](const fs::path& path) {
      if (std::find(locations.begin(), locations.end(), path) == locations.end()) locations.push_back(path);
   };
   if (auto cache = absolute_env("XDG_CACHE_HOME")) add(*cache / "dokploy-provider");
   if (auto home = home_folder()) add(*home / ".cache" / "dokploy-provider");
   add(absolute_env("TMPDIR").value_or("/tmp") / ("dokploy-provider-" + std::to_string(::geteuid())));
   return locations;
}

std::optional<fs::path> bundled_plugin_folder(const fs::path& executable) {
   UniqueFd file(::open(executable.c_str(), O_RDONLY | O_CLOEXEC));
   struct stat info {};
   if (!file || ::fstat(file.get(), &info) != 0 || !S_ISREG(info.st_mode) ||
       static_cast<std::uint64_t>(info.st_size) < kTrailerSize)
      return std::nullopt;
   std::uint8_t bytes[kTrailerSize];
   if (::pread(file.get(), bytes, sizeof bytes, info.st_size - static_cast<off_t>(kTrailerSize)) !=
       static_cast<ssize_t>(sizeof bytes))
      return std::nullopt;
   const std::string damaged = "the plugins bundled in " + executable.string() + " cannot be used: ";
   const std::string fix = "; download dokploy-provider again (or re-add the provider in DevPod)";
   try {
      const auto trailer = decode_trailer(bytes, static_cast<std::uint64_t>(info.st_size));
      if (!trailer) return std::nullopt;
      const auto started = std::chrono::steady_clock::now();
      UnpackRequest request{file.get(), *trailer, bundle_folder_name(DPP_PROVIDER_VERSION, *trailer)};
      const UnpackResult result = unpack_or_reuse(request, cache_locations());
      const auto took = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started);
      if (result.unpacked)
         log().debug("unpacked the bundled plugins into {} in {:.1f} ms{}", result.folder.string(),
                     took.count(),
                     result.note.empty() ? "" : " (the previous copy was unusable: " + result.note + ")");
      else
         log().debug("bundled plugins in {} (checked in {:.2f} ms)", result.folder.string(), took.count());
      return result.folder / "plugins";
   } catch (const BundleDamaged& e) {
      throw ProviderError(kExitFailure, damaged + e.what() + fix);
   } catch (const CacheUnavailable& e) {
      throw ProviderError(
          kExitFailure,
          "cannot unpack the plugins bundled in " + executable.string() + " into any cache folder (" +
              e.what() +
              "). Point XDG_CACHE_HOME at a folder of yours on a filesystem that allows executables.");
   }
}

}  // namespace dpp::core::bundle

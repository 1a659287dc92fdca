// The provider.yaml files that exist now: the committed one first, then generated variants.
#include "provider_yaml_files.hpp"

#include <filesystem>
#include <set>

#include "support/test_paths.hpp"

namespace dpp::test::devpod {

std::vector<std::string> provider_yaml_files() {
   namespace fs = std::filesystem;
   std::vector<std::string> files = {source_dir() + "/provider.yaml"};
   std::set<std::string> seen = {fs::weakly_canonical(files.front()).string()};
   auto add = [&](const fs::path& candidate) {
      std::error_code error;
      if (!fs::is_regular_file(candidate, error)) return;
      const std::string canonical = fs::weakly_canonical(candidate, error).string();
      if (seen.insert(canonical).second) files.push_back(candidate.string());
   };
   add(fs::path(binary_dir()) / "provider-dev.yaml");
   add(fs::path(binary_dir()) / "dist" / "provider.yaml");
   std::error_code error;
   for (const auto& preset : fs::directory_iterator(fs::path(source_dir()) / "build", error)) {
      add(preset.path() / "provider-dev.yaml");
      add(preset.path() / "dist" / "provider.yaml");
   }
   return files;
}

}  // namespace dpp::test::devpod

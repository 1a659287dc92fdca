// Finds plugin files and selects the one to use for each role, by id or by file.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "loader/host_services.hpp"
#include "loader/plugin_library.hpp"

namespace dpp::core {

class PluginRegistry {
 public:
   // Where plugins are looked for: the folder beside the executable
   // (<exe>/../lib/dokploy-provider/plugins, the same in the build tree and once installed) or,
   // for a release bundle, the private folder its appended plugins were unpacked to (core/bundle),
   // then each entry of DOKPLOY_PLUGIN_PATH (':'-separated files or folders).
   static std::vector<std::filesystem::path> search_path(const std::filesystem::path& executable,
                                                         const std::string& plugin_path_option);

   PluginRegistry(std::vector<std::filesystem::path> search_path, HostServices& services);

   // The plugin that provides `kind` for a user's choice (`option_name`'s value): a file path
   // (contains '/'), or an id, found first as dpp-<id>.so, else by opening every plugin. Loads,
   // initialises and checks it offers `kind`. Throws PluginError / ConfigError that name the
   // option, the choice and the files involved (also when two files claim the same id).
   std::shared_ptr<PluginLibrary> select(PluginKind kind, const std::string& choice,
                                         const std::string& option_name);

   struct Listing {
      std::vector<std::shared_ptr<PluginLibrary>> loaded;
      std::vector<std::pair<std::string, std::string>> failed;  // file, reason
   };
   // Opens and initialises every plugin file on the search path (for `plugins` and `version`).
   Listing load_all();

 private:
   std::vector<std::filesystem::path> candidate_files() const;
   std::shared_ptr<PluginLibrary> open_initialised(const std::filesystem::path& file);

   std::vector<std::filesystem::path> search_path_;
   HostServices& services_;
   std::vector<std::shared_ptr<PluginLibrary>> opened_;
};

}  // namespace dpp::core

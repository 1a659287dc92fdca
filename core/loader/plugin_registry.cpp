// Finds plugin files and selects plugins.
#include "loader/plugin_registry.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "bundle/bundled_plugins.hpp"
#include "errors.hpp"
#include "loader/plugin_error.hpp"
#include "logging/logging.hpp"
#include "util/text.hpp"

namespace dpp::core {
namespace fs = std::filesystem;

std::vector<fs::path> PluginRegistry::search_path(const fs::path& executable,
                                                  const std::string& plugin_path_option) {
   std::vector<fs::path> paths;
   std::error_code error;
   const fs::path exe = fs::weakly_canonical(executable, error);
   // A release build carries its plugins appended to itself (core/bundle): use their unpacked copy.
   if (auto bundled = bundle::bundled_plugin_folder(exe))
      paths.push_back(*bundled);
   else
      paths.push_back(exe.parent_path().parent_path() / "lib" / "dokploy-provider" / "plugins");
   if (!plugin_path_option.empty())
      for (const auto& entry : split(plugin_path_option, ':'))
         if (!entry.empty()) paths.push_back(fs::absolute(entry, error));
   return paths;
}

PluginRegistry::PluginRegistry(std::vector<fs::path> search_path, HostServices& services)
    : search_path_(std::move(search_path)), services_(services) {}

std::vector<fs::path> PluginRegistry::candidate_files() const {
   std::vector<fs::path> files;
   std::set<fs::path> seen;
   for (const auto& entry : search_path_) {
      std::error_code error;
      if (fs::is_directory(entry, error)) {
         std::vector<fs::path> in_folder;
         for (const auto& item : fs::directory_iterator(entry, error))
            if (item.path().extension() == ".so") in_folder.push_back(item.path());
         std::sort(in_folder.begin(), in_folder.end());
         for (auto& file : in_folder)
            if (seen.insert(fs::weakly_canonical(file, error)).second) files.push_back(file);
      } else if (fs::exists(entry, error)) {
         if (seen.insert(fs::weakly_canonical(entry, error)).second) files.push_back(entry);
      }
   }
   return files;
}

std::shared_ptr<PluginLibrary> PluginRegistry::open_initialised(const fs::path& file) {
   std::error_code error;
   const fs::path absolute = fs::absolute(file, error);
   for (const auto& plugin : opened_)
      if (fs::equivalent(plugin->file(), absolute, error)) return plugin;
   auto plugin = PluginLibrary::open(absolute);
   plugin->initialise(services_.for_plugin(plugin->id()));
   opened_.push_back(plugin);
   log().debug("loaded plugin {} {} from {}", plugin->id(), plugin->version(), plugin->file());
   return plugin;
}

std::shared_ptr<PluginLibrary> PluginRegistry::select(PluginKind kind, const std::string& choice,
                                                      const std::string& option_name) {
   if (choice.empty()) throw ConfigError(option_name + " is empty; name a " + kind_name(kind) + " plugin");
   std::shared_ptr<PluginLibrary> plugin;
   if (choice.find('/') != std::string::npos) {
      plugin = open_initialised(choice);
   } else {
      // Fast path: the conventional file name, so that only the plugins a verb needs are loaded.
      std::vector<fs::path> named;
      for (const auto& file : candidate_files())
         if (file.filename() == "dpp-" + choice + ".so") named.push_back(file);
      std::vector<std::shared_ptr<PluginLibrary>> matches;
      for (const auto& file : named) {
         auto candidate = open_initialised(file);
         if (candidate->id() == choice) matches.push_back(candidate);
      }
      if (matches.empty()) {
         // Slow path: a plugin whose file name does not follow the convention.
         for (const auto& file : candidate_files()) {
            if (std::find(named.begin(), named.end(), file) != named.end()) continue;
            try {
               auto candidate = open_initialised(file);
               if (candidate->id() == choice) matches.push_back(candidate);
            } catch (const PluginError& e) {
               log().debug("skipping {}", e.what());
            }
         }
      }
      if (matches.empty()) {
         std::string folders;
         for (const auto& entry : search_path_) folders += (folders.empty() ? "" : ", ") + entry.string();
         throw ConfigError(option_name + "=" + choice + ": no plugin with the id '" + choice +
                           "' was found in " + folders +
                           ". Run `dokploy-provider plugins` to see what is installed, or set "
                           "DOKPLOY_PLUGIN_PATH.");
      }
      if (matches.size() > 1)
         throw ConfigError(option_name + "=" + choice + ": two plugins have the id '" + choice +
                           "': " + matches[0]->file() + " and " + matches[1]->file() +
                           ". Remove one, or name the file in " + option_name + ".");
      plugin = matches.front();
   }
   if (!plugin->offers(kind))
      throw ConfigError(option_name + "=" + choice + ": the plugin '" + plugin->id() + "' (" +
                        plugin->file() + ") does not provide a " + kind_name(kind) + "; choose a " +
                        kind_name(kind) + " plugin (see `dokploy-provider plugins`)");
   return plugin;
}

PluginRegistry::Listing PluginRegistry::load_all() {
   Listing listing;
   std::map<std::string, std::string> ids;
   for (const auto& file : candidate_files()) {
      try {
         auto plugin = open_initialised(file);
         if (auto it = ids.find(plugin->id()); it != ids.end() && it->second != plugin->file()) {
            listing.failed.emplace_back(plugin->file(), "has the same id '" + plugin->id() + "' as " +
                                                            it->second + "; remove one of them");
            continue;
         }
         ids[plugin->id()] = plugin->file();
         if (std::find(listing.loaded.begin(), listing.loaded.end(), plugin) == listing.loaded.end())
            listing.loaded.push_back(plugin);
      } catch (const PluginError& e) {
         listing.failed.emplace_back(e.file(), e.reason());
      } catch (const ProviderError& e) {
         listing.failed.emplace_back(file.string(), e.what());
      }
   }
   return listing;
}

}  // namespace dpp::core

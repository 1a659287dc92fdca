// One loaded plugin library: opened with Boost.DLL, its entry checked against the ABI rules,
// initialised once, and unloaded only after everything obtained from it is gone.
#pragma once

#include <dpp/dpp.h>

#include <boost/dll/shared_library.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "loader/plugin_kind.hpp"
#include "options/option_spec.hpp"

namespace dpp::core {

class PluginLibrary {
 public:
   // Opens `file` (an absolute path) and validates it: permissions, a shared library, the entry
   // symbol, the ABI version, struct sizes, required members, option declarations. Throws
   // PluginError naming the file and the exact problem.
   static std::shared_ptr<PluginLibrary> open(const std::filesystem::path& file);
   ~PluginLibrary();
   PluginLibrary(const PluginLibrary&) = delete;
   PluginLibrary& operator=(const PluginLibrary&) = delete;

   const std::string& id() const { return id_; }
   const std::string& version() const { return version_; }
   const std::string& description() const { return description_; }
   const std::string& file() const { return file_; }
   dpp_version abi_version() const { return entry_.abi_version; }
   const std::vector<OptionSpec>& options() const { return options_; }

   // Calls the plugin's init with `host` (which must outlive this library). Idempotent.
   void initialise(const dpp_host* host);
   bool initialised() const { return initialised_; }

   // After initialise: whether it offers `kind`, and that factory (validated), else throws.
   bool offers(PluginKind kind) const;
   std::vector<PluginKind> kinds() const;
   const void* factory(PluginKind kind) const;

 private:
   PluginLibrary() = default;
   void check_entry();
   void read_options();

   boost::dll::shared_library library_;
   dpp_plugin_entry entry_{};
   std::string file_;
   std::string id_;
   std::string version_;
   std::string description_;
   std::vector<OptionSpec> options_;
   bool initialised_ = false;
};

}  // namespace dpp::core

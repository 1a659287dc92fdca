// Loads and validates one plugin library.
#include "loader/plugin_library.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <regex>
#include <set>

#include "loader/plugin_error.hpp"
#include "logging/logging.hpp"
#include "util/text.hpp"

namespace dpp::core {
namespace {

// The entry members every ABI 1 plugin must have: up to and including get_factory.
constexpr std::size_t kMinimumEntrySize = offsetof(dpp_plugin_entry, get_factory) + sizeof(void*);

bool is_plugin_id(const std::string& id) {
   static const std::regex pattern("[a-z0-9][a-z0-9._-]{0,63}");
   return std::regex_match(id, pattern);
}

bool is_option_name(const std::string& name) {
   static const std::regex pattern("[A-Z][A-Z0-9_]{0,127}");
   return std::regex_match(name, pattern);
}

// The bytes of a string the plugin hands us: NULL-safe and length-bounded (never read past
// `limit`, whether or not the plugin terminated it).
std::string plugin_bytes(const char* text, std::size_t limit) {
   if (!text) return {};
   const std::size_t length = strnlen(text, limit + 1);
   return std::string(text, length > limit ? limit : length);
}

// A string the plugin hands us for people to read (id, version, descriptions, messages):
// bounded, and printable (valid UTF-8, control bytes escaped), so that it cannot forge output.
std::string plugin_text(const char* text, std::size_t limit = 4096) {
   return printable_text(plugin_bytes(text, limit));
}

void check_file_permissions(const std::filesystem::path& file) {
   struct stat info {};
   if (::stat(file.c_str(), &info) != 0)
      throw PluginError(file.string(), std::string("cannot be read: ") + std::strerror(errno));
   if (!S_ISREG(info.st_mode)) throw PluginError(file.string(), "is not a regular file");
   if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0)
      throw PluginError(file.string(),
                        "is writable by other users (mode " + std::to_string((info.st_mode >> 6) & 7) +
                            std::to_string((info.st_mode >> 3) & 7) + std::to_string(info.st_mode & 7) +
                            "), so anyone could change the code this program runs; fix it with "
                            "`chmod go-w " +
                            file.string() + "`");
   if (info.st_uid != 0 && info.st_uid != ::geteuid())
      throw PluginError(file.string(), "belongs to another user (uid " + std::to_string(info.st_uid) +
                                           "); plugins must belong to you or to root");
}

}  // namespace

std::shared_ptr<PluginLibrary> PluginLibrary::open(const std::filesystem::path& file) {
   if (!file.is_absolute()) throw PluginError(file.string(), "path is not absolute");
   check_file_permissions(file);
   std::shared_ptr<PluginLibrary> plugin(new PluginLibrary());
   plugin->file_ = file.string();
   try {
      plugin->library_.load(file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
   } catch (const std::exception& e) {
      throw PluginError(plugin->file_, std::string("is not a loadable shared library (") + e.what() + ")");
   }
   if (!plugin->library_.has(DPP_PLUGIN_ENTRY_SYMBOL))
      throw PluginError(plugin->file_, "is not a dokploy-provider plugin: it does not export " +
                                           std::string(DPP_PLUGIN_ENTRY_SYMBOL) + "()");
   const dpp_plugin_entry* raw = nullptr;
   try {
      auto& entry_function =
          plugin->library_.get<const dpp_plugin_entry*(uint32_t, uint32_t)>(DPP_PLUGIN_ENTRY_SYMBOL);
      raw = entry_function(DPP_ABI_VERSION_MAJOR, DPP_ABI_VERSION_MINOR);
   } catch (...) {
      throw PluginError(plugin->file_,
                        std::string(DPP_PLUGIN_ENTRY_SYMBOL) +
                            "() threw an exception; plugins must not let exceptions cross the ABI");
   }
   if (!raw)
      throw PluginError(plugin->file_, "refused this host's ABI " + std::to_string(DPP_ABI_VERSION_MAJOR) +
                                           "." + std::to_string(DPP_ABI_VERSION_MINOR) +
                                           " (it was built for another ABI major); use a build of "
                                           "the plugin for this dokploy-provider");
   if (raw->struct_size < kMinimumEntrySize)
      throw PluginError(plugin->file_,
                        "entry struct_size is " + std::to_string(raw->struct_size) +
                            " bytes, smaller than the " + std::to_string(kMinimumEntrySize) +
                            " every ABI 1 plugin has; the plugin is corrupt or not built with the SDK");
   // Rule 2: copy what both sides know into a zeroed local; unknown tail members read as NULL.
   std::memcpy(&plugin->entry_, raw, std::min<std::size_t>(raw->struct_size, sizeof(dpp_plugin_entry)));
   plugin->check_entry();
   plugin->read_options();
   return plugin;
}

void PluginLibrary::check_entry() {
   const dpp_version host = DPP_ABI_VERSION_INIT;
   const dpp_version& mine = entry_.abi_version;
   const std::string theirs = std::to_string(mine.major) + "." + std::to_string(mine.minor);
   const std::string ours = std::to_string(host.major) + "." + std::to_string(host.minor);
   if (mine.major != host.major)
      throw PluginError(file_, "was built for ABI " + theirs + " but this host implements ABI " + ours +
                                   " (the major version must match); rebuild the plugin against this SDK");
   if (mine.minor > host.minor)
      throw PluginError(file_, "needs ABI " + theirs + ", newer than this host's ABI " + ours +
                                   "; upgrade dokploy-provider");
   // One byte more than an id may have, so that a longer one is refused rather than cut to fit.
   id_ = plugin_text(entry_.id, 65);
   if (!is_plugin_id(id_))
      throw PluginError(
          file_, "has an invalid id '" + printable_excerpt(id_) + "' (expected [a-z0-9][a-z0-9._-]{0,63})");
   version_ = plugin_text(entry_.version, 64);
   if (version_.empty()) throw PluginError(file_, "declares no version");
   description_ = plugin_text(entry_.description, 512);
   if (!entry_.init)
      throw PluginError(file_, "has no init function (a required member of the entry is NULL)");
   if (!entry_.deinit)
      throw PluginError(file_, "has no deinit function (a required member of the entry is NULL)");
   if (!entry_.get_factory)
      throw PluginError(file_, "has no get_factory function (a required member of the entry is NULL)");
}

void PluginLibrary::read_options() {
   if (!entry_.get_option) return;
   std::set<std::string> seen;
   for (uint32_t index = 0; index < 256; ++index) {
      const dpp_option_desc* raw = nullptr;
      try {
         raw = entry_.get_option(index);
      } catch (...) {
         throw PluginError(file_, "get_option threw an exception");
      }
      if (!raw) return;
      constexpr std::size_t kMinimum = offsetof(dpp_option_desc, flags) + sizeof(uint32_t);
      if (raw->struct_size < kMinimum)
         throw PluginError(file_, "option " + std::to_string(index) + " has a short struct_size");
      dpp_option_desc desc{};
      std::memcpy(&desc, raw, std::min<std::size_t>(raw->struct_size, sizeof desc));
      const std::string name = plugin_bytes(desc.name, 129);  // a longer name is refused, not cut
      if (!is_option_name(name))
         throw PluginError(file_, "declares an option with an invalid name '" + printable_excerpt(name) +
                                      "' (expected [A-Z][A-Z0-9_]*)");
      if (!seen.insert(name).second) throw PluginError(file_, "declares the option " + name + " twice");
      if (desc.type < DPP_OPTION_STRING || desc.type > DPP_OPTION_HOST)
         throw PluginError(file_,
                           "declares option " + name + " with unknown type " + std::to_string(desc.type));
      if (desc.type == DPP_OPTION_ENUM && !desc.enum_values)
         throw PluginError(file_, "declares enum option " + name + " without values");
      // from_desc reads its strings whole: hand it bounded copies, never the plugin's pointers.
      // The default is checked like a value (it is shown by `plugins` and reaches the plugin);
      // the rest is text for people.
      const std::string default_value = plugin_bytes(desc.default_value, 4096);
      if (desc.default_value && (!is_valid_utf8(default_value) || has_control_characters(default_value)))
         throw PluginError(file_, "declares option " + name +
                                      " with a default that is not printable UTF-8 text ('" +
                                      printable_excerpt(default_value) + "')");
      const std::string enum_values = plugin_text(desc.enum_values, 4096);
      const std::string group = plugin_text(desc.group, 64);
      desc.name = name.c_str();
      desc.description = nullptr;  // set below through plugin_text
      desc.default_value = desc.default_value ? default_value.c_str() : nullptr;
      desc.enum_values = desc.enum_values ? enum_values.c_str() : nullptr;
      desc.group = desc.group ? group.c_str() : nullptr;
      OptionSpec spec = OptionSpec::from_desc(desc, id_);
      spec.description = plugin_text(raw->description, 1024);
      options_.push_back(std::move(spec));
   }
   throw PluginError(file_, "declares more than 256 options");
}

void PluginLibrary::initialise(const dpp_host* host) {
   if (initialised_) return;
   dpp_error error{};
   error.struct_size = sizeof error;
   dpp_status status;
   try {
      status = entry_.init(host, &error);
   } catch (...) {
      throw PluginError(file_, "init threw an exception; plugins must not let exceptions cross the ABI");
   }
   if (status != DPP_OK) {
      error.message[sizeof error.message - 1] = '\0';
      throw PluginError(
          file_, "init failed (" + std::string(dpp_status_name(status)) + "): " + plugin_text(error.message));
   }
   initialised_ = true;
}

bool PluginLibrary::offers(PluginKind kind) const {
   if (!initialised_) return false;
   try {
      return entry_.get_factory(factory_id(kind)) != nullptr;
   } catch (...) {
      // Not offered, then; but say why, or the plugin would seem to lack it for no reason.
      log().warn("plugin {}: get_factory threw an exception; plugins must not let exceptions cross the ABI",
                 file_);
      return false;
   }
}

std::vector<PluginKind> PluginLibrary::kinds() const {
   std::vector<PluginKind> kinds;
   for (PluginKind kind : kAllPluginKinds)
      if (offers(kind)) kinds.push_back(kind);
   return kinds;
}

const void* PluginLibrary::factory(PluginKind kind) const {
   if (!initialised_) throw PluginError(file_, "used before init");
   const void* raw = nullptr;
   try {
      raw = entry_.get_factory(factory_id(kind));
   } catch (...) {
      throw PluginError(file_, "get_factory threw an exception");
   }
   if (!raw)
      throw PluginError(
          file_, "('" + id_ + "') does not provide a " + kind_name(kind) + " (" + factory_id(kind) + ")");
   // Every factory of ABI 1 is {struct_size, create}.
   struct FactoryHead {
      uint32_t struct_size;
      void* create;
   };
   const auto* head = static_cast<const FactoryHead*>(raw);
   if (head->struct_size < sizeof(FactoryHead))
      throw PluginError(file_, std::string(kind_name(kind)) + " factory has a short struct_size");
   if (!head->create)
      throw PluginError(file_, std::string(kind_name(kind)) + " factory has no create function");
   return raw;
}

PluginLibrary::~PluginLibrary() {
   if (initialised_ && entry_.deinit) {
      try {
         entry_.deinit();
      } catch (...) {
      }
   }
}

}  // namespace dpp::core

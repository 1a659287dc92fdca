// version and plugins: what is installed, for people and scripts.
#include <nlohmann/json.hpp>

#include "errors.hpp"
#include "lifecycle/verbs.hpp"
#include "loader/option_overlaps.hpp"
#include "options/host_options.hpp"
#include "options/option_spec.hpp"

namespace dpp::core {
namespace {

std::string kinds_text(const PluginLibrary& plugin) {
   std::string text;
   for (PluginKind kind : plugin.kinds()) text += (text.empty() ? "" : ",") + std::string(kind_name(kind));
   return text.empty() ? "none" : text;
}

std::string abi_text(dpp_version version) {
   return std::to_string(version.major) + "." + std::to_string(version.minor);
}

nlohmann::json option_json(const OptionSpec& spec) {
   nlohmann::json option = {
       {"name", spec.name},     {"description", spec.description}, {"type", option_type_name(spec.type)},
       {"secret", spec.secret}, {"required", spec.required},       {"group", spec.group}};
   option["default"] = spec.default_value ? nlohmann::json(*spec.default_value) : nlohmann::json(nullptr);
   if (!spec.enum_values.empty()) option["values"] = spec.enum_values;
   return option;
}

void print_option_text(std::ostream& out, const OptionSpec& spec) {
   out << "    " << spec.name << " (" << option_type_name(spec.type);
   if (spec.secret) out << ", secret";
   if (spec.required) out << ", required";
   if (spec.default_value)
      out << ", default " << (spec.default_value->empty() ? "\"\"" : *spec.default_value);
   out << ")\n        " << spec.description << '\n';
}

}  // namespace

int verb_version(Session& session, std::ostream& out) {
   const dpp_version abi = DPP_ABI_VERSION_INIT;
   out << "dokploy-provider " << DPP_PROVIDER_VERSION << " (plugin ABI " << abi_text(abi) << ")\n";
   const auto listing = session.registry().load_all();
   for (const auto& plugin : listing.loaded)
      out << "  " << plugin->id() << ' ' << plugin->version() << " [" << kinds_text(*plugin) << "] ABI "
          << abi_text(plugin->abi_version()) << '\n';
   for (const auto& [file, reason] : listing.failed)
      out << "  (not loaded) " << file << ": " << reason << '\n';
   return kExitOk;
}

int verb_plugins(Session& session, std::ostream& out, bool json) {
   const auto listing = session.registry().load_all();
   if (json) {
      nlohmann::json document = {
          {"host", {{"version", DPP_PROVIDER_VERSION}, {"abi", abi_text(DPP_ABI_VERSION_INIT)}}}};
      nlohmann::json host_options = nlohmann::json::array();
      for (const auto& spec : host_option_specs()) host_options.push_back(option_json(spec));
      document["host"]["options"] = host_options;
      nlohmann::json plugins = nlohmann::json::array();
      for (const auto& plugin : listing.loaded) {
         nlohmann::json kinds = nlohmann::json::array();
         for (PluginKind kind : plugin->kinds()) kinds.push_back(kind_name(kind));
         nlohmann::json options = nlohmann::json::array();
         for (const auto& spec : plugin->options()) options.push_back(option_json(spec));
         plugins.push_back({{"id", plugin->id()},
                            {"version", plugin->version()},
                            {"description", plugin->description()},
                            {"kinds", kinds},
                            {"abi", abi_text(plugin->abi_version())},
                            {"file", plugin->file()},
                            {"options", options}});
      }
      document["plugins"] = plugins;
      nlohmann::json overlaps = nlohmann::json::array();
      for (const auto& overlap : find_option_overlaps(host_option_specs(), listing.loaded))
         overlaps.push_back({{"name", overlap.name},
                             {"declared_by", {overlap.first, overlap.second}},
                             {"clash", overlap.clash},
                             {"message", overlap.message}});
      document["option_overlaps"] = overlaps;
      nlohmann::json failed = nlohmann::json::array();
      for (const auto& [file, reason] : listing.failed) failed.push_back({{"file", file}, {"error", reason}});
      document["failed"] = failed;
      out << document.dump(2) << '\n';
      return listing.failed.empty() ? kExitOk : kExitFailure;
   }
   out << "host: dokploy-provider " << DPP_PROVIDER_VERSION << ", plugin ABI "
       << abi_text(DPP_ABI_VERSION_INIT) << "\n  options:\n";
   for (const auto& spec : host_option_specs()) print_option_text(out, spec);
   for (const auto& plugin : listing.loaded) {
      out << '\n'
          << plugin->id() << ' ' << plugin->version() << "  kind: " << kinds_text(*plugin) << "  ABI "
          << abi_text(plugin->abi_version()) << "\n  " << plugin->description()
          << "\n  file: " << plugin->file() << '\n';
      if (!plugin->options().empty()) out << "  options:\n";
      for (const auto& spec : plugin->options()) print_option_text(out, spec);
   }
   for (const auto& [file, reason] : listing.failed)
      out << "\nnot loaded: " << file << "\n  " << reason << '\n';
   for (const auto& overlap : find_option_overlaps(host_option_specs(), listing.loaded))
      out << "\nwarning: " << overlap.message << '\n';
   return listing.failed.empty() ? kExitOk : kExitFailure;
}

}  // namespace dpp::core

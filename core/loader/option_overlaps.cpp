// Finds option names declared more than once.
#include "loader/option_overlaps.hpp"

#include <map>
#include <optional>

#include "options/host_options.hpp"

namespace dpp::core {
namespace {

struct Declarer {
   const PluginLibrary* plugin;  // nullptr: the host
   const OptionSpec* spec;
};

std::string kinds_text(const std::vector<PluginKind>& kinds) {
   std::string text;
   for (PluginKind kind : kinds) text += (text.empty() ? "" : ", ") + std::string(kind_name(kind));
   return text;
}

// Two plugins are alternatives when each offers the same one kind: no run loads both.
bool alternatives(const PluginLibrary& a, const PluginLibrary& b) {
   const std::vector<PluginKind> kinds = a.kinds();
   return kinds.size() == 1 && b.kinds() == kinds;
}

const char* selecting_option(PluginKind kind) {
   switch (kind) {
      case PluginKind::backend: return kOptBackend;
      case PluginKind::transport: return kOptTransport;
      case PluginKind::auth: return kOptAuth;
   }
   return "";
}

// What two declarations of one name disagree on ("" when they are alike).
std::string differences(const OptionSpec& a, const OptionSpec& b) {
   std::vector<std::string> fields;
   if (a.type != b.type) fields.push_back("type");
   if (a.default_value != b.default_value) fields.push_back("default");
   if (a.secret != b.secret) fields.push_back("secrecy");
   if (a.required != b.required) fields.push_back("required");
   if (a.enum_values != b.enum_values) fields.push_back("values");
   std::string text;
   for (const auto& field : fields) text += (text.empty() ? "" : ", ") + field;
   return text;
}

std::optional<OptionOverlap> overlap_of(const Declarer& first, const Declarer& second) {
   OptionOverlap overlap;
   overlap.name = first.spec->name;
   overlap.second = second.plugin->id();
   if (!first.plugin) {
      overlap.first = "host";
      overlap.clash = true;
      overlap.message = overlap.name + " is declared by the host and by the plugin " + overlap.second +
                        ": a run that loads " + overlap.second +
                        " stops with a configuration error (neither wins); the plugin must rename it";
      return overlap;
   }
   overlap.first = first.plugin->id();
   if (!alternatives(*first.plugin, *second.plugin)) {
      overlap.clash = true;
      overlap.message = overlap.name + " is declared by " + overlap.first + " (" +
                        kinds_text(first.plugin->kinds()) + ") and " + overlap.second + " (" +
                        kinds_text(second.plugin->kinds()) +
                        "): a run that loads both stops with a configuration error (neither wins); one of "
                        "them must rename it";
      return overlap;
   }
   const std::string differ = differences(*first.spec, *second.spec);
   if (differ.empty()) return std::nullopt;
   const PluginKind kind = first.plugin->kinds().front();
   overlap.message = overlap.name + " is declared differently (" + differ + ") by " + overlap.first +
                     " and " + overlap.second + ", both " + kind_name(kind) +
                     " plugins: a run loads only the one " + selecting_option(kind) +
                     " selects, and its declaration wins";
   return overlap;
}

}  // namespace

std::vector<OptionOverlap> find_option_overlaps(const std::vector<OptionSpec>& host_options,
                                                const std::vector<std::shared_ptr<PluginLibrary>>& plugins) {
   std::vector<std::string> names;  // in order of first declaration
   std::map<std::string, std::vector<Declarer>> declarers;
   auto declare = [&](const PluginLibrary* plugin, const OptionSpec& spec) {
      auto& list = declarers[spec.name];
      if (list.empty()) names.push_back(spec.name);
      list.push_back({plugin, &spec});
   };
   for (const auto& spec : host_options) declare(nullptr, spec);
   for (const auto& plugin : plugins)
      if (!plugin->kinds().empty())  // a plugin that offers nothing is never loaded for a run
         for (const auto& spec : plugin->options()) declare(plugin.get(), spec);
   std::vector<OptionOverlap> overlaps;
   for (const auto& name : names) {
      const auto& list = declarers[name];
      for (std::size_t i = 0; i < list.size(); ++i)
         for (std::size_t j = i + 1; j < list.size(); ++j)
            if (auto overlap = overlap_of(list[i], list[j])) overlaps.push_back(*overlap);
   }
   return overlaps;
}

}  // namespace dpp::core

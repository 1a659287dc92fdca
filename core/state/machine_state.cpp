// Reads and writes the machine's state file.
#include "state/machine_state.hpp"

#include <nlohmann/json.hpp>

#include "errors.hpp"
#include "util/files.hpp"

namespace dpp::core {

using nlohmann::json;

MachineState::MachineState(std::string folder, std::string machine_id)
    : folder_(std::move(folder)), machine_id_(std::move(machine_id)), path_(folder_ + "/" + kFileName) {}

void MachineState::load() {
   std::optional<std::string> text = read_private_file(path_, kMaxFileBytes);
   existed_ = text.has_value();
   if (!text) return;
   if (auto reason = parse(*text)) {
      *this = MachineState(folder_, machine_id_);
      existed_ = true;
      corruption_ = reason;
   }
}

std::optional<std::string> MachineState::parse(const std::string& text) {
   json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
   if (document.is_discarded() || !document.is_object()) return "it is not a JSON object";
   try {
      if (document.value("format", "") != "dokploy-provider-machine-state")
         return "it is not a dokploy-provider state file";
      const int version = document.at("version").get<int>();
      if (version > kFormatVersion)
         throw ProviderError(kExitFailure, path_ + " was written by a newer dokploy-provider (state format " +
                                               std::to_string(version) + "); upgrade dokploy-provider");
      if (version < 1) return "its format version is invalid";
      const std::string owner = document.at("machine_id").get<std::string>();
      if (owner != machine_id_) return "it belongs to machine '" + owner + "'";
      backend_id = document.value("backend", "");
      transport_id = document.value("transport", "");
      auth_id = document.value("auth", "");
      if (document.contains("endpoint")) {
         const json& e = document.at("endpoint");
         endpoint.host = e.value("host", "");
         const int port = e.value("port", 0);
         if (port < 0 || port > 65535) return "its endpoint port is out of range";
         endpoint.port = static_cast<uint16_t>(port);
         endpoint.user = e.value("user", "");
         endpoint.host_key = e.value("host_key", "");
      }
      if (document.contains("unreachable_since_ms"))
         unreachable_since_ms = document.at("unreachable_since_ms").get<int64_t>();
      if (document.contains("plugins"))
         for (const auto& [plugin, values] : document.at("plugins").items())
            for (const auto& [key, value] : values.items())
               plugin_values_[plugin][key] = value.get<std::string>();
   } catch (const json::exception& e) {
      return std::string("its content has the wrong shape (") + e.what() + ")";
   }
   return std::nullopt;
}

std::string MachineState::serialize() const {
   json document = {{"format", "dokploy-provider-machine-state"},
                    {"version", kFormatVersion},
                    {"machine_id", machine_id_},
                    {"backend", backend_id},
                    {"transport", transport_id},
                    {"auth", auth_id}};
   if (endpoint.known())
      document["endpoint"] = {{"host", endpoint.host},
                              {"port", endpoint.port},
                              {"user", endpoint.user},
                              {"host_key", endpoint.host_key}};
   if (unreachable_since_ms) document["unreachable_since_ms"] = *unreachable_since_ms;
   json plugins = json::object();
   for (const auto& [plugin, values] : plugin_values_) plugins[plugin] = values;
   document["plugins"] = plugins;
   return document.dump(2) + "\n";
}

void MachineState::save() const {
   ensure_private_folder(folder_);
   write_file_atomically(path_, serialize());
}

void MachineState::remove() const {
   remove_file_if_exists(path_);
}

std::optional<std::string> MachineState::plugin_value(const std::string& plugin,
                                                      const std::string& key) const {
   auto p = plugin_values_.find(plugin);
   if (p == plugin_values_.end()) return std::nullopt;
   auto v = p->second.find(key);
   if (v == p->second.end()) return std::nullopt;
   return v->second;
}

void MachineState::set_plugin_value(const std::string& plugin, const std::string& key,
                                    const std::optional<std::string>& value) {
   if (value)
      plugin_values_[plugin][key] = *value;
   else if (auto p = plugin_values_.find(plugin); p != plugin_values_.end()) {
      p->second.erase(key);
      if (p->second.empty()) plugin_values_.erase(p);
   }
}

}  // namespace dpp::core

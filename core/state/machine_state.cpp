// Reads and writes the machine's state file.
#include "state/machine_state.hpp"

#include <nlohmann/json.hpp>

#include "errors.hpp"
#include "util/files.hpp"

namespace dpp::core {

using nlohmann::json;

namespace {

// A whole number of the file, or nullopt for anything else (a float such as 1e300 or a number
// beyond 64 bits must not be converted: that is undefined behaviour, or a silent wrap).
std::optional<int64_t> whole_number(const json& value) {
   if (value.is_number_unsigned()) {
      const auto number = value.get<uint64_t>();
      if (number > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
      return static_cast<int64_t>(number);
   }
   if (value.is_number_integer()) return value.get<int64_t>();
   return std::nullopt;
}

// Endpoint text reaches the transports (an argv, a known_hosts line): one printable line.
bool printable_line(const std::string& text) {
   for (char c : text)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return false;
   return true;
}

}  // namespace

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
      const std::optional<int64_t> version = whole_number(document.at("version"));
      if (!version) return "its format version is not a whole number";
      if (*version > kFormatVersion)
         throw ProviderError(kExitFailure, path_ + " was written by a newer dokploy-provider (state format " +
                                               std::to_string(*version) + "); upgrade dokploy-provider");
      if (*version < 1) return "its format version is invalid";
      const std::string owner = document.at("machine_id").get<std::string>();
      if (owner != machine_id_) return "it belongs to machine '" + owner + "'";
      backend_id = document.value("backend", "");
      transport_id = document.value("transport", "");
      auth_id = document.value("auth", "");
      if (document.contains("endpoint")) {
         const json& e = document.at("endpoint");
         endpoint.host = e.value("host", "");
         if (e.contains("port") && !e.at("port").is_number()) return "its content has the wrong shape";
         const std::optional<int64_t> port =
             e.contains("port") ? whole_number(e.at("port")) : std::optional<int64_t>(0);
         if (!port || *port < 0 || *port > 65535) return "its endpoint port is out of range";
         endpoint.port = static_cast<uint16_t>(*port);
         endpoint.user = e.value("user", "");
         endpoint.host_key = e.value("host_key", "");
         if (!printable_line(endpoint.host) || !printable_line(endpoint.user) ||
             !printable_line(endpoint.host_key))
            return "its endpoint holds control characters";
      }
      if (document.contains("unreachable_since_ms")) {
         unreachable_since_ms = whole_number(document.at("unreachable_since_ms"));
         if (!unreachable_since_ms) return "its unreachable_since_ms is not a whole number";
      }
      if (document.contains("failed_create")) {
         const json& failed = document.at("failed_create");
         const std::optional<int64_t> at_ms = whole_number(failed.at("at_ms"));
         if (!at_ms) return "its failed_create.at_ms is not a whole number";
         failed_create = FailedCreate{*at_ms, failed.at("reason").get<std::string>()};
      }
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
   if (failed_create)
      document["failed_create"] = {{"at_ms", failed_create->at_ms}, {"reason", failed_create->reason}};
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

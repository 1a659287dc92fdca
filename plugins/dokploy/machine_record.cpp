// Loads and saves the backend's record in the machine state.
#include "machine_record.hpp"

#include <Poco/Exception.h>

#include <charconv>

#include "json_util.hpp"

namespace dpp::dokploy {
namespace {

constexpr const char* kKey = "service";

std::vector<SharedAddress> read_addresses(const json::Object& row) {
   std::vector<SharedAddress> out;
   for (const json::Object& item : json::objects(json::array(row, "addresses"))) {
      SharedAddress address{json::text(item, "name"), 0, json::text(item, "host"), json::text(item, "url"),
                            json::text(item, "domainId")};
      const std::string port = json::text(item, "port");
      unsigned number = 0;
      const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), number);
      if (error == std::errc() && end == port.data() + port.size() && number > 0 && number <= 65535)
         address.port = static_cast<uint16_t>(number);
      if (address.port && !address.url.empty()) out.push_back(std::move(address));
   }
   return out;
}

Poco::JSON::Array write_addresses(const std::vector<SharedAddress>& addresses) {
   Poco::JSON::Array out;
   for (const SharedAddress& address : addresses) {
      Poco::JSON::Object item = json::body();
      item.set("name", address.name);
      item.set("port", static_cast<int>(address.port));
      item.set("host", address.host);
      item.set("url", address.url);
      item.set("domainId", address.domain_id);
      out.add(item);
   }
   return out;
}

}  // namespace

std::optional<MachineRecord> MachineRecord::load(const dpp::sdk::Host& host, const std::string& server_url) {
   std::optional<std::string> text;
   try {
      text = host.state_get(kKey);
   } catch (const dpp::sdk::Error& e) {
      host.debug("cannot read the machine state (", e.what(), "); looking the workspace up by name");
      return std::nullopt;
   }
   if (!text) return std::nullopt;
   try {
      const json::Object row = json::as_object(json::parse(*text));
      MachineRecord record;
      record.server_url = json::text(row, "url");
      const std::string kind = json::text(row, "kind");
      record.kind = kind == "application" ? ServiceKind::application : ServiceKind::compose;
      record.service_id = json::text(row, "id");
      record.name = json::text(row, "name");
      record.app_name = json::text(row, "appName");
      record.server_id = json::text(row, "serverId");
      record.ssh_host = json::text(row, "sshHost");
      // The whole text must be a port: stoul would read "44x" as 44 and "70000" as 4464.
      const std::string port = json::text(row, "sshPort");
      unsigned number = 0;
      const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), number);
      if (!port.empty() && (error != std::errc() || end != port.data() + port.size() || number > 65535)) {
         host.debug("the machine state's SSH port is not a port; looking the workspace up by name");
         return std::nullopt;
      }
      record.ssh_port = static_cast<uint16_t>(port.empty() ? 0 : number);
      record.duplicate_possible = json::flag(row, "duplicatePossible");
      if (const json::Array volumes = json::array(row, "volumes")) {
         record.volumes.emplace();
         for (std::size_t i = 0; i < volumes->size(); ++i)
            record.volumes->push_back(volumes->get(static_cast<unsigned>(i)).convert<std::string>());
      }
      record.addresses = read_addresses(row);
      if ((kind != "compose" && kind != "application") || record.service_id.empty()) {
         host.debug("the machine state's service record is incomplete; looking the workspace up by name");
         return std::nullopt;
      }
      if (record.server_url != server_url) {
         host.debug("the machine state belongs to ", record.server_url, ", not ", server_url,
                    "; looking the workspace up by name");
         return std::nullopt;
      }
      return record;
   } catch (const std::exception& e) {
      host.warn("the machine state's service record is corrupt (", e.what(),
                "); looking the workspace up by name");
      return std::nullopt;
   }
}

void MachineRecord::save(const dpp::sdk::Host& host) const {
   Poco::JSON::Object row = json::body();
   row.set("url", server_url);
   row.set("kind", kind_name(kind));
   row.set("id", service_id);
   row.set("name", name);
   row.set("appName", app_name);
   row.set("serverId", server_id);
   row.set("sshHost", ssh_host);
   row.set("sshPort", std::to_string(ssh_port));
   if (duplicate_possible) row.set("duplicatePossible", true);
   if (volumes) {
      Poco::JSON::Array names;
      for (const std::string& volume : *volumes) names.add(volume);
      row.set("volumes", names);
   }
   if (!addresses.empty()) row.set("addresses", write_addresses(addresses));
   host.state_set(kKey, json::write(row));
}

void MachineRecord::forget(const dpp::sdk::Host& host) {
   try {
      host.state_set(kKey, std::nullopt);
   } catch (const dpp::sdk::Error&) {
      // No machine (or an unwritable state) leaves nothing stale to forget.
   }
}

}  // namespace dpp::dokploy

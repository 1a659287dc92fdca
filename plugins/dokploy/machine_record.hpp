// What the backend remembers about a machine in the host's state file (one key, one atomic
// write): the service's kind and ids, its name, server, SSH host and port — enough for `status`
// to make one request and for `command` to make none — and the addresses of its shared ports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <dpp/cpp/plugin.hpp>

#include "project_index.hpp"
#include "shared_ports.hpp"

namespace dpp::dokploy {

struct MachineRecord {
   std::string server_url;  // the Dokploy the ids belong to
   ServiceKind kind = ServiceKind::compose;
   std::string service_id;
   std::string name;
   std::string app_name;
   std::string server_id;
   std::string ssh_host;
   uint16_t ssh_port = 0;
   // The Docker names of its named volumes; nullopt when not known (a record of an older version).
   std::optional<std::vector<std::string>> volumes;
   // A create request's answer was lost and it was sent again: a duplicate may exist, so delete
   // looks for every service of the machine.
   bool duplicate_possible = false;
   // The shared ports' addresses as the last create or start left them (for doctor and delete).
   std::vector<SharedAddress> addresses;

   // The record, when the state holds a usable one for `server_url`; nullopt otherwise (missing,
   // corrupt, another server's), which makes the caller look the service up by name.
   static std::optional<MachineRecord> load(const dpp::sdk::Host& host, const std::string& server_url);
   void save(const dpp::sdk::Host& host) const;
   static void forget(const dpp::sdk::Host& host);
};

}  // namespace dpp::dokploy

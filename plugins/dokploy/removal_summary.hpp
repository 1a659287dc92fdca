// The one line `delete` says: which service went, and whether its named volumes went with it or
// stay on the server (Dokploy removes a compose service's volumes when asked, never an
// application's), with the command that removes what stays.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace dpp::dokploy {

struct Removal {
   std::string service;  // what was deleted, as it is named in Dokploy or in a line before
   // How the names of its volumes start ("<appName>_"), for when they are not known.
   std::string volume_prefix;
   // The Docker names of its named volumes; nullopt when unknown.
   std::optional<std::vector<std::string>> volumes;
   bool driver_removes_volumes = false;  // the service kind's delete removes them (compose)
   bool keep_volumes = false;            // DOKPLOY_KEEP_VOLUMES
   // Shared ports whose Dokploy domains went with the service (Dokploy deletes them with it).
   std::size_t shared_ports = 0;
};

struct RemovalSummary {
   // Volumes stay on the server that the user did not ask to keep: a warning, not news.
   bool volumes_left_unasked = false;
   std::string text;
};

RemovalSummary summarize(const Removal& removal);

}  // namespace dpp::dokploy

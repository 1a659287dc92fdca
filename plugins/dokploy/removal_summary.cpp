// Words for what a delete removed and what it left (removal_summary.hpp).
#include "removal_summary.hpp"

namespace dpp::dokploy {
namespace {

std::string joined(const std::vector<std::string>& names, const std::string& separator) {
   std::string out;
   for (const std::string& name : names) out += (out.empty() ? "" : separator) + name;
   return out;
}

}  // namespace

RemovalSummary summarize(const Removal& removal) {
   const std::string deleted =
       "deleted " + removal.service +
       (removal.shared_ports
            ? " and the domains of its " + std::to_string(removal.shared_ports) + " shared ports"
            : "");
   if (removal.volumes && removal.volumes->empty()) return {false, deleted};
   const std::string names = removal.volumes
                                 ? joined(*removal.volumes, ", ")
                                 : "(" + removal.volume_prefix + "…; their names were not recorded)";
   if (removal.keep_volumes)
      return {false, deleted + "; its volumes stay on the server (DOKPLOY_KEEP_VOLUMES): " + names};
   if (removal.driver_removes_volumes) return {false, deleted + " and its volumes " + names};
   const std::string remove_them = removal.volumes
                                       ? "`docker volume rm " + joined(*removal.volumes, " ") + "`"
                                       : "`docker volume ls --filter name=" + removal.volume_prefix +
                                             "` lists them and `docker volume rm NAME…` removes them";
   return {true, deleted + ", but not its volumes " + names +
                     ": Dokploy leaves an application's named volumes to Docker; on the server, " +
                     remove_them};
}

}  // namespace dpp::dokploy

// The conformance matrix and the options each combination gives DevPod.
#include "combination.hpp"

namespace dpp::test::devpod {

std::string Combination::name() const {
   return kind + "/" + transport + "/" + auth + (remote ? "@remote" : "");
}

std::map<std::string, std::string> Combination::user_values(const std::string& server_url,
                                                            const std::string& token,
                                                            const std::string& port_range,
                                                            const std::string& remote_server_id) const {
   std::map<std::string, std::string> values = {
       {"DOKPLOY_SERVER_URL", server_url},     {"DOKPLOY_API_TOKEN", token},
       {"DOKPLOY_PROJECT_NAME", "devpod-e2e"}, {"DOKPLOY_SERVICE_TYPE", kind},
       {"DOKPLOY_SSH_TRANSPORT", transport},   {"DOKPLOY_SSH_AUTH", auth},
       {"DOKPLOY_SSH_PORT_RANGE", port_range},
   };
   // Swarm services cannot be privileged: an application workspace has no Docker inside.
   if (kind == "application") values["DOKPLOY_DOCKER_IN_WORKSPACE"] = "false";
   if (remote) values["DOKPLOY_SERVER_ID"] = remote_server_id;
   if (auto_stop) values["DOKPLOY_INACTIVITY_TIMEOUT"] = "30m";
   return values;
}

std::vector<Combination> conformance_matrix() {
   std::vector<Combination> matrix;
   int index = 0;
   for (const char* kind : {"compose", "application"})
      for (const char* transport : {"libssh2", "system"})
         for (const char* auth : {"key", "password"}) {
            // DevPod runs exec strings with bash when it has it, else sh: alternate so both run.
            Combination combination{
                .kind = kind, .transport = transport, .auth = auth, .shell = index % 2 ? "bash" : "sh"};
            combination.auto_stop = (index == 0 || index == 7);
            matrix.push_back(combination);
            ++index;
         }
   matrix.push_back(
       {.kind = "compose", .transport = "libssh2", .auth = "key", .remote = true, .shell = "sh"});
   matrix.push_back(
       {.kind = "application", .transport = "system", .auth = "password", .remote = true, .shell = "bash"});
   return matrix;
}

}  // namespace dpp::test::devpod

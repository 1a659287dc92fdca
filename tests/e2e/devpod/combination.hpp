// One combination of the DevPod conformance matrix: service kind × transport × auth strategy,
// on the Dokploy host or on a second emulated server, run through one shell.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace dpp::test::devpod {

struct Combination {
   std::string kind;        // DOKPLOY_SERVICE_TYPE: compose | application
   std::string transport;   // DOKPLOY_SSH_TRANSPORT: libssh2 | system
   std::string auth;        // DOKPLOY_SSH_AUTH: key | password
   bool remote = false;     // DOKPLOY_SERVER_ID: the second emulated server (127.0.0.2)
   std::string shell;       // the shell DevPod runs exec strings with: sh or bash
   bool auto_stop = false;  // also run provider.yaml's auto-stop inside the workspace

   std::string name() const;
   // The `-o NAME=value` options of `devpod provider add` for this combination.
   std::map<std::string, std::string> user_values(const std::string& server_url, const std::string& token,
                                                  const std::string& port_range,
                                                  const std::string& remote_server_id) const;
};

// Every kind × transport × auth on the Dokploy host, plus two on the remote server.
std::vector<Combination> conformance_matrix();

}  // namespace dpp::test::devpod

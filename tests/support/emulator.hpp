// The Dokploy emulator (tests/emulator) as a test fixture: started on a free loopback port with
// a random token, driven through its control API, stopped by PID when the fixture goes away.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

namespace dpp::test {

struct EmulatedServer {
   std::string server_id;
   std::string name;
   std::string ip_address;  // a loopback address, e.g. 127.0.0.2
};

struct EmulatorOptions {
   std::string version = "v0.30.2";
   bool tls = false;
   // "none": deploys start nothing; "workspace": a real Debian workspace per service (root).
   std::string runner = "none";
   int queue_delay_ms = 50;
   int deploy_duration_ms = 50;
   std::string server_address = "127.0.0.1";
   std::vector<EmulatedServer> servers;
   // The emulated Traefik that routes Dokploy domains (tests/emulator/dokploy_emulator/traefik.py):
   // off, on free ports of 127.0.0.1, or on ports 80 and 443 of a loopback address of its own
   // (127.x.y.1, needs root), where the provider's own probes find it as they would a real server.
   enum class Traefik { off, free_ports, standard_ports };
   Traefik traefik = Traefik::off;
};

// Where the emulated Traefik listens.
struct TraefikEndpoints {
   std::string address;
   int http_port = 0;
   int https_port = 0;
   std::string ca_cert;  // signs the certificates of https domains
};

class Emulator {
 public:
   explicit Emulator(EmulatorOptions options = {});
   ~Emulator();
   Emulator(const Emulator&) = delete;
   Emulator& operator=(const Emulator&) = delete;

   const std::string& url() const { return url_; }
   const std::string& token() const { return token_; }
   int port() const { return port_; }
   pid_t pid() const { return process_->pid(); }
   const EmulatorOptions& options() const { return options_; }
   // With TLS: the CA that signed the emulator's certificate, and an unrelated one.
   std::string ca_cert() const;
   std::string wrong_ca_cert() const;
   // The emulator's stderr (its log), for failure messages.
   std::string log() const;
   // Throws unless options().traefik is on.
   const TraefikEndpoints& traefik() const;

   // Control API (see tests/emulator/dokploy_emulator/control.py).
   nlohmann::json control(const std::string& method, const std::string& path,
                          const nlohmann::json& body = nullptr) const;
   // One Dokploy API call as a user's script would make it (x-api-key): a GET with `query`
   // (flat "name=value&…") when `body` is null, else a POST of `body`. Throws unless it answers 200.
   nlohmann::json api(const std::string& procedure, const nlohmann::json& body = nullptr,
                      const std::string& query = "") const;
   nlohmann::json requests() const { return control("GET", "/__emulator/requests"); }
   void clear_requests() const { control("DELETE", "/__emulator/requests"); }
   // Requests of /api/ procedures only (not the control API), optionally of one procedure.
   std::vector<nlohmann::json> api_requests(const std::string& procedure = "") const;
   // Requests whose body or query failed the Dokploy schema.
   std::vector<nlohmann::json> schema_errors() const;
   std::string add_fault(const nlohmann::json& fault) const;
   void clear_faults() const { control("DELETE", "/__emulator/faults"); }
   nlohmann::json state() const { return control("GET", "/__emulator/state"); }
   nlohmann::json workspaces() const { return control("GET", "/__emulator/workspaces"); }
   // The named volumes on the (emulated) server, sorted: `docker volume ls`.
   nlohmann::json volumes() const { return control("GET", "/__emulator/volumes"); }
   nlohmann::json seed(int services, const std::string& project = "other-project") const;
   nlohmann::json restart() const { return control("POST", "/__emulator/restart"); }
   void set_version(const std::string& version) const;
   // false: Swarm's routing mesh stops forwarding, so applications deployed from now on refuse
   // connections on their ingress-published ports while their tasks run (reset: true).
   void set_ingress_routes(bool routes) const;
   void reset() const { control("POST", "/__emulator/reset"); }
   // Every application and compose service in the emulator's model.
   std::vector<nlohmann::json> services() const;
   // Every domain row in the emulator's model.
   std::vector<nlohmann::json> domains() const;
   // Settings > Web Server > Server IP ("" = not set), which generated domains carry.
   void set_web_server_ip(const std::string& ip) const;

 private:
   // Sends one request to the emulator (HTTPS when it serves TLS); returns the status and body.
   std::pair<int, std::string> send(const std::string& method, const std::string& path_and_query,
                                    const nlohmann::json& body, bool with_token) const;

   EmulatorOptions options_;
   TempDir dir_;
   std::string token_;
   std::string url_;
   int port_ = 0;
   TraefikEndpoints traefik_;
   std::unique_ptr<ChildProcess> process_;
};

// One emulator per test process whose deploys start real Debian workspaces (runner "workspace",
// needs root), with short queue and deploy delays; reset it before each test.
Emulator& workspace_emulator();

// A random hex string (a token or password for one test run; never a fixture on disk).
std::string random_hex(std::size_t bytes);

}  // namespace dpp::test

// The Dokploy emulator as a test fixture.
#include "support/emulator.hpp"

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/http_call.hpp"
#include "support/test_paths.hpp"

namespace dpp::test {

std::string random_hex(std::size_t bytes) {
   std::random_device random;
   static const char* digits = "0123456789abcdef";
   std::string out;
   for (std::size_t i = 0; i < bytes; ++i) {
      const unsigned value = random() & 0xFF;
      out += digits[value >> 4];
      out += digits[value & 15];
   }
   return out;
}

namespace {

// A loopback address of its own (127.x.y.1) for Traefik's ports 80 and 443, so that emulators of
// concurrent tests do not meet.
std::string own_loopback_address() {
   const std::string hex = random_hex(2);
   return "127." + std::to_string(std::stoi(hex.substr(0, 2), nullptr, 16) % 200 + 20) + "." +
          std::to_string(std::stoi(hex.substr(2, 2), nullptr, 16)) + ".1";
}

}  // namespace

Emulator::Emulator(EmulatorOptions options) : options_(std::move(options)), dir_("dpp-emulator") {
   token_ = random_hex(24);
   std::vector<std::string> argv = {python(),
                                    emulator_script(),
                                    "--listen",
                                    "127.0.0.1:0",
                                    "--version",
                                    options_.version,
                                    "--ready-file",
                                    dir_.file("ready.json"),
                                    "--runner",
                                    options_.runner,
                                    "--queue-delay-ms",
                                    std::to_string(options_.queue_delay_ms),
                                    "--deploy-duration-ms",
                                    std::to_string(options_.deploy_duration_ms),
                                    "--server-address",
                                    options_.server_address};
   if (options_.runner == "workspace") {
      argv.push_back("--runner-state-dir");
      argv.push_back(dir_.file("runner"));
   }
   if (options_.tls) {
      ProcessResult made =
          run_process({.argv = {python(), emulator_script(), "make-certs", dir_.file("certs")}});
      if (made.exit_code != 0) throw std::runtime_error("make-certs failed: " + made.err);
      argv.insert(argv.end(),
                  {"--tls-cert", dir_.file("certs/server.pem"), "--tls-key", dir_.file("certs/server.key")});
   }
   if (options_.traefik != EmulatorOptions::Traefik::off) {
      const bool standard = options_.traefik == EmulatorOptions::Traefik::standard_ports;
      traefik_.address = standard ? own_loopback_address() : "127.0.0.1";
      argv.insert(argv.end(), {"--traefik-http", traefik_.address + (standard ? ":80" : ":0"),
                               "--traefik-https", traefik_.address + (standard ? ":443" : ":0")});
      // With TLS the API's CA signs Traefik's certificates too: one CA for DOKPLOY_CA_CERT.
      if (options_.tls) argv.insert(argv.end(), {"--traefik-ca", dir_.file("certs")});
   }
   if (!options_.servers.empty()) {
      nlohmann::json servers = nlohmann::json::array();
      for (const auto& server : options_.servers)
         servers.push_back({{"serverId", server.server_id},
                            {"name", server.name},
                            {"ipAddress", server.ip_address},
                            {"serverStatus", "active"}});
      dir_.write("servers.json", servers.dump());
      argv.insert(argv.end(), {"--servers-file", dir_.file("servers.json")});
   }
   EnvMap env = current_environment();
   env["DOKPLOY_EMULATOR_TOKEN"] = token_;
   process_ =
       std::make_unique<ChildProcess>(ProcessOptions{.argv = argv, .env = env}, dir_.file("emulator.log"));
   const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
   while (true) {
      std::ifstream ready(dir_.file("ready.json"));
      if (ready) {
         nlohmann::json info = nlohmann::json::parse(ready, nullptr, false);
         if (!info.is_discarded() && info.contains("url")) {
            url_ = info["url"].get<std::string>();
            port_ = info["port"].get<int>();
            if (info.contains("traefik")) {
               traefik_.http_port = info["traefik"]["http"]["port"].get<int>();
               traefik_.https_port = info["traefik"]["https"]["port"].get<int>();
               traefik_.ca_cert = info["traefik"]["ca"].get<std::string>();
            }
            break;
         }
      }
      if (!process_->alive()) throw std::runtime_error("the Dokploy emulator exited at start:\n" + log());
      if (std::chrono::steady_clock::now() > deadline)
         throw std::runtime_error("the Dokploy emulator did not become ready in 60 s:\n" + log());
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
   }
}

Emulator::~Emulator() {
   if (process_) process_->stop(std::chrono::seconds(20));
}

std::string Emulator::ca_cert() const {
   return dir_.file("certs/ca.pem");
}
std::string Emulator::wrong_ca_cert() const {
   return dir_.file("certs/wrong-ca.pem");
}
std::string Emulator::log() const {
   return dir_.read("emulator.log");
}

const TraefikEndpoints& Emulator::traefik() const {
   if (options_.traefik == EmulatorOptions::Traefik::off)
      throw std::logic_error("this emulator runs no Traefik (EmulatorOptions::traefik)");
   return traefik_;
}

std::pair<int, std::string> Emulator::send(const std::string& method, const std::string& path_and_query,
                                           const nlohmann::json& body, bool with_token) const {
   HttpRequest request{.base_url = url_, .method = method, .path_and_query = path_and_query};
   if (with_token) request.headers.emplace_back("x-api-key", token_);
   if (!body.is_null()) request.body = body.dump();
   if (options_.tls) request.ca_file = ca_cert();
   const HttpAnswer answer = http_call(request);
   return {answer.status, answer.body};
}

nlohmann::json Emulator::control(const std::string& method, const std::string& path,
                                 const nlohmann::json& body) const {
   const auto [status, text] = send(method, path, body, false);
   if (status >= 300)
      throw std::runtime_error("emulator control " + method + " " + path + " answered " +
                               std::to_string(status) + ": " + text);
   if (text.empty()) return nullptr;
   return nlohmann::json::parse(text);
}

nlohmann::json Emulator::api(const std::string& procedure, const nlohmann::json& body,
                             const std::string& query) const {
   const bool get = body.is_null();
   const auto [status, text] =
       send(get ? "GET" : "POST", "/api/" + procedure + (query.empty() ? "" : "?" + query), body, true);
   if (status != 200)
      throw std::runtime_error(procedure + " answered " + std::to_string(status) + ": " + text);
   if (text.empty()) return nullptr;
   return nlohmann::json::parse(text);
}

std::vector<nlohmann::json> Emulator::api_requests(const std::string& procedure) const {
   std::vector<nlohmann::json> out;
   for (const auto& entry : requests()) {
      const std::string path = entry.value("path", "");
      if (path.rfind("/api/", 0) != 0) continue;
      if (!procedure.empty() && entry.value("procedure", "") != procedure) continue;
      out.push_back(entry);
   }
   return out;
}

std::vector<nlohmann::json> Emulator::schema_errors() const {
   std::vector<nlohmann::json> out;
   for (const auto& entry : requests())
      if (entry.contains("schema_error") && !entry["schema_error"].is_null()) out.push_back(entry);
   return out;
}

std::string Emulator::add_fault(const nlohmann::json& fault) const {
   return control("POST", "/__emulator/faults", fault).value("faultId", "");
}

nlohmann::json Emulator::seed(int services, const std::string& project) const {
   return control("POST", "/__emulator/seed", {{"services", services}, {"project", project}});
}

void Emulator::set_version(const std::string& version) const {
   control("POST", "/__emulator/version", {{"version", version}});
}

void Emulator::set_ingress_routes(bool routes) const {
   control("POST", "/__emulator/ingress", {{"routes", routes}});
}

Emulator& workspace_emulator() {
   static std::unique_ptr<Emulator> instance = [] {
      EmulatorOptions options;
      options.runner = "workspace";
      options.queue_delay_ms = 100;
      options.deploy_duration_ms = 100;
      return std::make_unique<Emulator>(options);
   }();
   return *instance;
}

std::vector<nlohmann::json> Emulator::domains() const {
   const nlohmann::json snapshot = state();
   return snapshot.contains("domains") ? snapshot["domains"].get<std::vector<nlohmann::json>>()
                                       : std::vector<nlohmann::json>{};
}

void Emulator::set_web_server_ip(const std::string& ip) const {
   control("POST", "/__emulator/web-server-ip", {{"ip", ip}});
}

std::vector<nlohmann::json> Emulator::services() const {
   std::vector<nlohmann::json> out;
   const nlohmann::json snapshot = state();
   for (const char* table : {"applications", "compose"}) {
      if (!snapshot.contains(table)) continue;
      const auto& rows = snapshot[table];
      if (rows.is_array())
         for (const auto& row : rows) out.push_back(row);
      else if (rows.is_object())
         for (const auto& [id, row] : rows.items()) out.push_back(row);
   }
   return out;
}

}  // namespace dpp::test

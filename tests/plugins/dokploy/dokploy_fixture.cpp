// The Dokploy plugin tests' fixture: shared emulators, options, the SSH stand-in, the after-test
// schema check.
#include "dokploy_fixture.hpp"

#include <algorithm>
#include <mutex>
#include <stdexcept>

namespace dpp::test::dokploy {

Emulator& shared_emulator(const EmulatorOptions& options) {
   static std::mutex mutex;
   static std::map<std::string, std::unique_ptr<Emulator>> emulators;
   std::string key = options.version + "|" + (options.tls ? "tls" : "plain") + "|" + options.runner + "|" +
                     options.server_address + "|" + std::to_string(options.queue_delay_ms) + "|" +
                     std::to_string(options.deploy_duration_ms) + "|traefik" +
                     std::to_string(static_cast<int>(options.traefik));
   for (const auto& server : options.servers) key += "|" + server.server_id + "=" + server.ip_address;
   std::lock_guard lock(mutex);
   auto& slot = emulators[key];
   if (!slot) slot = std::make_unique<Emulator>(options);
   return *slot;
}

std::map<std::string, std::string> backend_options(const Emulator& emulator) {
   return {{"DOKPLOY_SERVER_URL", emulator.url()},
           {"DOKPLOY_API_TOKEN", emulator.token()},
           {"DOKPLOY_PROJECT_NAME", "devpod-workspaces"},
           {"DOKPLOY_SERVICE_TYPE", "compose"},
           {"DOKPLOY_SSH_PORT_RANGE", "2222-2299"},
           {"DOKPLOY_SSH_PUBLISH_MODE", "ingress"},
           {"DOKPLOY_TLS_INSECURE", "false"},
           {"DOKPLOY_HTTP_TIMEOUT", "5000"},
           {"DOKPLOY_CONNECT_TIMEOUT", "2000"},
           {"DOKPLOY_HTTP_RETRIES", "4"},
           {"DOKPLOY_POLL_INTERVAL", "100"}};
}

FakeHost::EndpointCheck emulated_ssh(const Emulator& emulator, const std::string& host_key) {
   const Emulator* source = &emulator;
   return
       [source, host_key](const std::string& host, uint16_t port, const std::string&, std::string& message) {
          const nlohmann::json workspaces = source->workspaces();
          for (const auto& [key, workspace] : workspaces.items()) {
             if (workspace.value("state", "") != "running" || !workspace.contains("spec") ||
                 workspace["spec"].is_null())
                continue;
             const nlohmann::json& spec = workspace["spec"];
             bool published = false;
             for (const auto& binding : spec.value("ports", nlohmann::json::array()))
                if (binding.value("published", 0) == port && binding.value("host_ip", "") == host)
                   published = true;
             if (!published) continue;
             std::string proof;
             for (const auto& pair : spec.value("env", nlohmann::json::array()))
                if (pair.is_array() && pair.size() == 2 && pair[0] == "DPP_SSH_HOST_KEY")
                   proof = pair[1].get<std::string>();
             if (proof == host_key) return DPP_OK;
             message = "workspace " + key + " answers at " + host + ":" + std::to_string(port) +
                       " with another host key";
             return DPP_E_HOST_KEY_MISMATCH;
          }
          message = "connection refused by " + host + ":" + std::to_string(port);
          return DPP_E_CONNECT;
       };
}

std::vector<nlohmann::json> our_services(const Emulator& emulator) {
   std::vector<nlohmann::json> out;
   for (const auto& service : emulator.services())
      if (service.value("name", "").rfind("devpod-", 0) == 0) out.push_back(service);
   return out;
}

nlohmann::json workspace_of(const Emulator& emulator, const std::string& app_name) {
   const nlohmann::json workspaces = emulator.workspaces();
   for (const auto& [key, workspace] : workspaces.items())
      if (workspace.value("group", "") == app_name) return workspace;
   return nullptr;
}

std::map<std::string, int> request_counts(const Emulator& emulator) {
   std::map<std::string, int> counts;
   for (const auto& entry : emulator.api_requests()) ++counts[entry.value("procedure", "?")];
   return counts;
}

std::string describe_counts(const std::map<std::string, int>& counts) {
   std::string out;
   for (const auto& [procedure, count] : counts)
      out += (out.empty() ? "" : ", ") + procedure + " " + std::to_string(count);
   return out.empty() ? "none" : out;
}

int total(const std::map<std::string, int>& counts, const std::vector<std::string>& except) {
   int sum = 0;
   for (const auto& [procedure, count] : counts)
      if (std::find(except.begin(), except.end(), procedure) == except.end()) sum += count;
   return sum;
}

void DokployPluginTest::SetUp() {
   emulator_ = &shared_emulator(emulator_options());
   emulator_->reset();
   emulator_->set_version(emulator_options().version);
}

void DokployPluginTest::TearDown() {
   if (!emulator_) return;
   for (const auto& entry : emulator_->schema_errors())
      ADD_FAILURE() << "a request failed Dokploy's schema: " << entry.dump();
}

FakeHost& DokployPluginTest::host_for(const TestSpec& spec) {
   hosts_.push_back(std::make_unique<FakeHost>(spec.machine_id));
   hosts_.back()->endpoint_check = emulated_ssh(*emulator_, spec.host_key());
   return *hosts_.back();
}

}  // namespace dpp::test::dokploy

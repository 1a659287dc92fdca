// check(): one line per thing `init` and `doctor` must prove, each saying exactly what to fix;
// with a machine (doctor), what Dokploy shows of its workspace.
#include <chrono>
#include <set>

#include "dokploy_backend.hpp"
#include "ingress_watch.hpp"
#include "service_naming.hpp"
#include "tls_context.hpp"

namespace dpp::dokploy {

using dpp::sdk::CheckReport;
using dpp::sdk::Error;

namespace {

// doctor's look at an ingress-published port: refused this many times, a second apart, while the
// task runs. The workspace has had its create to start; a port that refuses now does not route.
constexpr int kDoctorProbes = 3;

std::string reachability_fix(const HealthReport& health, const Settings& settings) {
   if (health.failure == TransportFailureKind::tls_verification ||
       health.failure == TransportFailureKind::tls_handshake)
      return "set DOKPLOY_CA_CERT to the PEM file of the CA that signed Dokploy's certificate (or fix the "
             "host "
             "name in DOKPLOY_SERVER_URL so that it matches the certificate)";
   if (health.status == DPP_E_REMOTE)
      return "Dokploy answers but reports an error: check its logs and its database";
   if (health.status == DPP_E_NOT_FOUND || health.status == DPP_E_PROTOCOL)
      return "set DOKPLOY_SERVER_URL to the address of Dokploy's web interface, without /api (now " +
             settings.server.text + ")";
   return "check DOKPLOY_SERVER_URL (" + settings.server.text +
          ": scheme, host and port) and that Dokploy runs and is reachable from this machine";
}

void report_tls(CheckReport& report, const Settings& settings) {
   const TlsSettings tls{settings.server.host, settings.ca_cert, settings.tls_insecure};
   if (settings.server.scheme == "https" && settings.tls_insecure)
      report.warn("TLS", describe_tls(tls) + ": anyone on the network path can steal the API token",
                  "set DOKPLOY_CA_CERT to the PEM file of Dokploy's CA and DOKPLOY_TLS_INSECURE=false");
   else if (settings.server.scheme == "https")
      report.pass("TLS", describe_tls(tls));
   else if (settings.server.loopback())
      report.pass("TLS", "plain HTTP to a loopback address (the token stays on this machine)");
   else
      report.warn("TLS",
                  "plain HTTP to " + settings.server.host + ": the API token crosses the network unencrypted",
                  "serve Dokploy over https:// and use that URL in DOKPLOY_SERVER_URL");
}

// Whether the project (and its environment) exists, and how many services it holds.
std::string describe_project(const ProjectIndex& index, const Settings& settings, const Features& f) {
   const auto projects = index.named(settings.project_name);
   if (projects.empty())
      return "project '" + settings.project_name + "' does not exist yet; the first create makes it";
   std::size_t workspaces = 0;
   for (const auto& service : index.services())
      for (const IndexedProject* project : projects)
         if (service.project_id == project->id) ++workspaces;
   std::string where =
       "project '" + settings.project_name + "' exists (" + std::to_string(workspaces) + " services)";
   if (!f.environments) return where;
   bool found = false;
   std::string environment = settings.environment_name.value_or("");
   for (const auto& env : projects.front()->environments)
      if (settings.environment_name ? env.name == *settings.environment_name : env.is_default) {
         found = true;
         environment = env.name;
      }
   return where + (found
                       ? "; environment '" + environment + "'"
                       : "; environment '" + environment + "' does not exist yet; the first create makes it");
}

void report_service_type(CheckReport& report, const Settings& settings) {
   if (settings.service_type == ServiceType::compose)
      report.pass("service type", std::string("compose services: Docker works inside workspaces (") +
                                      docker_privileges_text(settings.docker_privileges) + ")");
   else
      report.warn(
          "service type",
          "application (Swarm) services cannot run privileged containers: Docker inside the workspace "
          "(dev containers) will not work",
          "use DOKPLOY_SERVICE_TYPE=compose unless the image needs no Docker daemon");
}

void report_ssh_endpoint(CheckReport& report, const Settings& settings,
                         const std::optional<std::string>& server_ip) {
   const std::string host = settings.ssh_host                  ? *settings.ssh_host
                            : server_ip && !server_ip->empty() ? *server_ip
                                                               : settings.server.host;
   report.pass("SSH endpoint", "workspaces answer SSH at " + host + ", ports " +
                                   std::to_string(settings.port_low) + "-" +
                                   std::to_string(settings.port_high));
}

// One key exchange with hostname:port through the host's transport: DPP_OK, or the status and
// the reason of what answered instead.
dpp_status probe_endpoint_once(const dpp::sdk::Host& host, const std::string& hostname, uint16_t port,
                               std::string& reason) {
   try {
      host.check_endpoint(hostname, port, "", 5000);
      return DPP_OK;
   } catch (const Error& e) {
      reason = e.what();
      return e.status();
   }
}

}  // namespace

void DokployBackend::check(CheckReport& report) {
   if (!check_reachable(report)) return;
   report_tls(report, settings_);
   if (!check_token(report)) return;
   const std::optional<ProjectIndex> index = check_project(report);
   check_server(report);
   report_service_type(report, settings_);
   report_ssh_endpoint(report, settings_, server_ip_);
   if (index)
      check_leftover_volumes(report, *index);
   else
      report.skip("leftover volumes", "not checked: the projects could not be listed");
   if (!host_.machine_id().empty()) check_publishing(report);
   check_sharing(report);
}

bool DokployBackend::check_reachable(CheckReport& report) {
   const HealthReport health = api_->health();
   if (health.status != DPP_OK) {
      report.fail("Dokploy reachable", health.detail, reachability_fix(health, settings_), health.status);
      for (const char* name : {"API token", "Dokploy version", "project", "server"})
         report.skip(name, "not checked: Dokploy is not reachable");
      return false;
   }
   report.pass("Dokploy reachable", health.detail);
   return true;
}

bool DokployBackend::check_token(CheckReport& report) {
   try {
      const Features& f = features();
      report.pass("API token", "accepted by settings.getDokployVersion");
      report.pass("Dokploy version",
                  f.version.text() + " (supported: " + kOldestSupported.text() + " and newer)");
      return true;
   } catch (const Error& e) {
      if (e.status() == DPP_E_VERSION) {
         report.pass("API token", "accepted by settings.getDokployVersion");
         report.fail("Dokploy version", e.what(),
                     "upgrade Dokploy to " + kOldestSupported.text() + " or newer", DPP_E_VERSION);
      } else {
         report.fail("API token", e.what(),
                     e.status() == DPP_E_AUTH
                         ? "create a key in Dokploy (Settings > Profile > API/CLI) and set "
                           "DOKPLOY_API_TOKEN to it"
                         : "retry; if it persists, check Dokploy's logs",
                     e.status());
      }
      for (const char* name : {"project", "server"})
         report.skip(name, "not checked: the token was not accepted");
      return false;
   }
}

std::optional<ProjectIndex> DokployBackend::check_project(CheckReport& report) {
   const Features& f = *features_;
   std::optional<ProjectIndex> index;
   try {
      index.emplace(fetch_index());
      if (settings_.environment_name && !f.environments)
         report.warn(
             "environment",
             "DOKPLOY_ENVIRONMENT_NAME is ignored: Dokploy " + f.version.text() + " has no environments",
             "unset DOKPLOY_ENVIRONMENT_NAME or upgrade Dokploy to v0.25 or newer");
      report.pass("project", describe_project(*index, settings_, f));
   } catch (const Error& e) {
      report.fail("project", e.what(), "check that the API key may list and create projects", e.status());
   }
   return index;
}

void DokployBackend::check_server(CheckReport& report) {
   if (!settings_.server_id) {
      report.skip("server", "workspaces run on the Dokploy host itself (DOKPLOY_SERVER_ID is not set)");
      return;
   }
   try {
      const json::Object server =
          json::as_object(api_->query("server.one", {{"serverId", *settings_.server_id}}));
      server_ip_ = json::text(server, "ipAddress");
      report.pass("server", "'" + json::text(server, "name") + "' at " + *server_ip_ + " (" +
                                json::text(server, "serverStatus") + ")");
   } catch (const ApiError& e) {
      if (!e.not_found()) {
         report.fail("server", e.what(), "retry; if it persists, check Dokploy's logs", e.status());
         return;
      }
      const std::string known = known_servers();
      report.fail("server", "Dokploy has no server with the id '" + *settings_.server_id + "'",
                  known.empty() ? "unset DOKPLOY_SERVER_ID to deploy on the Dokploy host itself"
                                : "set DOKPLOY_SERVER_ID to one of: " + known,
                  DPP_E_CONFIG);
   }
}

// "<id> (<name>), …" of every server this key sees, or "" when none can be listed.
std::string DokployBackend::known_servers() {
   std::string known;
   try {
      for (const json::Object& server : json::objects(json::as_array(api_->query("server.all"))))
         known += (known.empty() ? "" : ", ") + json::text(server, "serverId") + " (" +
                  json::text(server, "name") + ")";
   } catch (const Error&) {
   }
   return known;
}

// Volumes named like a workspace's ("devpod-<machine>-xxxxxx_<volume>") whose machine has no
// service in any project this key sees: what `delete` of an application workspace leaves.
void DokployBackend::check_leftover_volumes(CheckReport& report, const ProjectIndex& index) {
   const std::string how_to_find =
       "on the server, `docker volume ls --filter name=devpod-` lists workspace volumes; those of "
       "deleted workspaces can go with `docker volume rm`";
   QueryParams params;
   if (settings_.server_id) params.emplace_back("serverId", *settings_.server_id);
   json::Array listed;
   try {
      listed = json::as_array(api_->query("dockerVolume.getVolumes", params));
   } catch (const ApiError& e) {
      if (e.status() == DPP_E_CANCELLED) throw;
      const std::string why =
          e.not_found() ? "this Dokploy cannot list Docker volumes (no dockerVolume.getVolumes)"
          : e.http_status() == 401 || e.http_status() == 403
              ? "this API key may not read Docker on the server (Dokploy's docker permission)"
              : std::string("listing Docker volumes failed: ") + e.what();
      report.skip("leftover volumes", why + "; " + how_to_find);
      return;
   }
   std::set<std::string> live;
   for (const IndexedService& service : index.services())
      if (const auto parsed = parse_service_name(service.name)) live.insert(parsed->machine_id);
   std::vector<std::string> left;
   for (const json::Object& volume : json::objects(listed)) {
      const std::string name = json::text(volume, "Name");
      const auto machine = volume_machine_id(name);
      if (machine && !live.count(*machine)) left.push_back(name);
   }
   if (left.empty()) {
      report.pass("leftover volumes", "no workspace volume outlived its workspace on the server");
      return;
   }
   std::string names, command = "docker volume rm";
   for (const std::string& name : left) {
      names += (names.empty() ? "" : ", ") + name;
      command += " " + name;
   }
   report.warn(
       "leftover volumes",
       std::to_string(left.size()) + " volume(s) of deleted workspaces remain on the server: " + names,
       "if their files are not needed, run on the server: " + command);
}

void DokployBackend::check_publishing(CheckReport& report) {
   const std::string name = "SSH port publishing";
   std::optional<ServiceView> view;
   try {
      view = locate(host_.machine_id(), /*full_row=*/true).view;
   } catch (const Error& e) {
      report.fail(name, e.what(), "see the checks above for the server and token", e.status());
      return;
   }
   if (!view || view->kind != ServiceKind::application || view->status != "done") return;
   const auto parsed = parse_service_name(view->name);
   if (!parsed || !published_through_ingress(*view, parsed->port)) {
      report.pass(name, view->name + " publishes its SSH port on the node that runs it (host mode)");
      return;
   }
   const std::string ssh_host = ssh_host_for(view->server_ip);
   const std::string where = ssh_host + ":" + std::to_string(parsed->port);
   std::string task;
   try {
      for (const SwarmTask& candidate : application_->tasks(*view))
         if (candidate.running()) task = candidate.state_text();
   } catch (const Error& e) {
      report.skip(name, "cannot read the Swarm tasks of " + view->name + ": " + e.what());
      return;
   }
   if (task.empty()) {
      report.skip(name, "no Swarm task of " + view->name + " runs now, so " + where + " cannot be checked");
      return;
   }
   std::string reason;
   for (int probe = 1;; ++probe) {
      const dpp_status status = probe_endpoint_once(host_, ssh_host, parsed->port, reason);
      if (status == DPP_OK || status == DPP_E_HOST_KEY_MISMATCH) {
         report.pass(name, view->name + "'s SSH port " + where + " is forwarded by Swarm's routing mesh");
         return;
      }
      if (!connection_refused(status, reason)) {
         report.skip(name, "cannot tell whether Swarm's routing mesh forwards " + where + ": " + reason);
         return;
      }
      if (probe == kDoctorProbes) break;
      if (!sleep_unless_cancelled(host_, std::chrono::seconds(1))) return;
   }
   report.fail(name,
               view->name + " runs (its Swarm task: " + task + ") but " + where +
                   ", published through Swarm's routing mesh (ingress mode), refused " +
                   std::to_string(kDoctorProbes) +
                   " connections in a row: the mesh does not forward on this server",
               unrouted_ingress_fix(/*running_workspace=*/true), DPP_E_REMOTE);
}

}  // namespace dpp::dokploy

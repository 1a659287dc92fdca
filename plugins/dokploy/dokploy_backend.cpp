// The Dokploy backend's shared machinery (version, service lookup, placement, SSH host) and the
// verbs that only read or remove: status, stop, delete.
#include "dokploy_backend.hpp"

#include <algorithm>

#include "retry_policy.hpp"
#include "service_naming.hpp"

namespace dpp::dokploy {

using dpp::sdk::Error;
using dpp::sdk::WorkspaceInfo;

namespace {

// status is called every few seconds by `devpod up`; it must never hang for long.
constexpr auto kStatusBudget = std::chrono::seconds(30);
constexpr auto kStopBudget = std::chrono::seconds(120);
constexpr auto kRemoveBudget = std::chrono::seconds(180);
constexpr auto kRemovalPoll = std::chrono::milliseconds(500);

// Sets the API's deadline for one verb and clears it afterwards.
class VerbDeadline {
 public:
   VerbDeadline(DokployApi& api, std::chrono::seconds budget, const char* verb) : api_(api) {
      api_.set_deadline(Clock::now() + budget,
                        std::string(verb) + " gives up after " + std::to_string(budget.count()) + " s");
   }
   ~VerbDeadline() { api_.set_deadline(std::nullopt); }
   VerbDeadline(const VerbDeadline&) = delete;
   VerbDeadline& operator=(const VerbDeadline&) = delete;

 private:
   DokployApi& api_;
};

}  // namespace

int32_t workspace_state(const std::string& status) {
   if (status == "running") return DPP_WORKSPACE_BUSY;  // a deploy is in progress
   if (status == "done") return DPP_WORKSPACE_RUNNING;
   if (status == "idle") return DPP_WORKSPACE_STOPPED;
   if (status == "error") return DPP_WORKSPACE_FAILED;
   return DPP_WORKSPACE_STOPPED;
}

DokployBackend::DokployBackend(dpp::sdk::Host host, const dpp::sdk::Options& options)
    : host_(host), settings_(Settings::from(options)) {
   api_ = std::make_unique<DokployApi>(settings_, host_);
   compose_ = std::make_unique<ComposeDriver>(*api_);
   application_ = std::make_unique<ApplicationDriver>(*api_);
}

DokployBackend::~DokployBackend() {
   compose_.reset();
   application_.reset();
   api_.reset();
   wipe(settings_.token);
}

const Features& DokployBackend::features() {
   if (features_) return *features_;
   const Poco::Dynamic::Var answer = api_->query("settings.getDokployVersion");
   if (!answer.isString())
      throw Error(DPP_E_PROTOCOL,
                  "Dokploy answered settings.getDokployVersion with something other than a version");
   const std::string text = answer.extract<std::string>();
   const std::optional<Version> version = parse_version(text);
   if (!version) {
      host_.warn("Dokploy reports the version '", text, "', which is not a version number; assuming ",
                 kNewestKnown.text(), "'s API");
      features_ = Features::of(kNewestKnown);
   } else if (*version < kOldestSupported) {
      throw Error(DPP_E_VERSION, "Dokploy " + text + " is older than " + kOldestSupported.text() +
                                     ", the oldest version this provider supports; upgrade Dokploy");
   } else {
      if (*version > kNewestKnown)
         host_.debug("Dokploy ", text, " is newer than ", kNewestKnown.text(),
                     ", the newest version this provider knows; using that version's API");
      features_ = Features::of(*version);
   }
   return *features_;
}

ServiceDriver& DokployBackend::driver(ServiceKind kind) {
   if (kind == ServiceKind::compose) return *compose_;
   return *application_;
}

ProjectIndex DokployBackend::fetch_index() {
   return ProjectIndex::parse(api_->query("project.all"));
}

DokployBackend::Located DokployBackend::locate(const std::string& machine_id, bool full_row) {
   Located located;
   located.record = MachineRecord::load(host_, settings_.server.text);
   if (located.record) {
      const MachineRecord& record = *located.record;
      if ((located.view = driver(record.kind).one(record.service_id))) return located;
      host_.debug("the service ", record.name, " of the machine state is gone; looking ", machine_id,
                  " up by name");
      located.record.reset();
      MachineRecord::forget(host_);
   }
   located.index = fetch_index();
   std::vector<IndexedService> matches = located.index->machine_services(settings_.project_name, machine_id);
   if (matches.empty()) return located;
   // Several services for one machine only come from a create whose answer was lost: prefer the
   // configured kind, then a running one.
   const ServiceKind wanted =
       settings_.service_type == ServiceType::compose ? ServiceKind::compose : ServiceKind::application;
   std::stable_sort(matches.begin(), matches.end(), [&](const IndexedService& a, const IndexedService& b) {
      const int score_a = (a.kind == wanted ? 2 : 0) + (a.status == "done" ? 1 : 0);
      const int score_b = (b.kind == wanted ? 2 : 0) + (b.status == "done" ? 1 : 0);
      return score_a > score_b;
   });
   if (matches.size() > 1)
      host_.warn(matches.size(), " services belong to ", machine_id, " in project ", settings_.project_name,
                 "; using '", matches.front().name, "' (delete the others in Dokploy)");
   located.indexed = matches.front();
   if (full_row) {
      located.view = driver(located.indexed->kind).one(located.indexed->id);
      if (!located.view) located.indexed.reset();  // deleted between the two requests
   }
   return located;
}

std::string DokployBackend::ssh_host_for(const std::string& server_ip) {
   if (settings_.ssh_host) return *settings_.ssh_host;
   if (!server_ip.empty()) return server_ip;
   if (settings_.server_id) {
      if (!server_ip_) {
         const json::Object server =
             json::as_object(api_->query("server.one", {{"serverId", *settings_.server_id}}));
         const std::string ip = json::text(server, "ipAddress");
         if (ip.empty())
            throw Error(DPP_E_CONFIG,
                        "Dokploy server " + *settings_.server_id +
                            " has no IP address; set DOKPLOY_SSH_HOST to where its ports are reachable");
         server_ip_ = ip;
      }
      return *server_ip_;
   }
   return settings_.server.host;
}

MachineRecord DokployBackend::record_for(const ServiceView& view, uint16_t port,
                                         const std::string& ssh_host) const {
   MachineRecord record;
   record.server_url = settings_.server.text;
   record.kind = view.kind;
   record.service_id = view.id;
   record.name = view.name;
   record.app_name = view.app_name;
   record.server_id = view.server_id;
   record.ssh_host = ssh_host;
   record.ssh_port = port;
   return record;
}

WorkspaceInfo DokployBackend::info_for(const std::string& status, const std::string& name,
                                       const std::string& ssh_host, uint16_t port,
                                       const std::string& extra) const {
   WorkspaceInfo info;
   info.state = workspace_state(status);
   info.ssh_host = ssh_host;
   info.ssh_port = port;
   info.detail = "Dokploy service '" + name + "' is " + (status.empty() ? "without status" : status) + extra;
   if (status != "running" && status != "done" && status != "idle" && status != "error")
      host_.debug("unknown service status '", status, "' of ", name, "; reporting it as stopped");
   return info;
}

WorkspaceInfo DokployBackend::status(const std::string& machine_id) {
   VerbDeadline deadline(*api_, kStatusBudget, "status");
   const Located found = locate(machine_id, /*full_row=*/false);
   if (!found.found()) {
      WorkspaceInfo info;
      info.state = DPP_WORKSPACE_NOT_FOUND;
      info.detail = "no service of " + machine_id + " in Dokploy project " + settings_.project_name;
      return info;
   }
   if (found.view) {
      const ServiceView& view = *found.view;
      MachineRecord record = *found.record;
      const auto parsed = parse_service_name(view.name);
      if (parsed && parsed->port != record.ssh_port) {
         // Moved to another port by a later create or start of another process: follow it.
         record.ssh_port = parsed->port;
         record.name = view.name;
         record.save(host_);
      }
      std::string extra;
      if (view.status == "error")
         if (auto newest = view.newest(); newest && !newest->error_message.empty())
            extra = ": " + newest->error_message;
      return info_for(view.status, view.name, record.ssh_host, record.ssh_port, extra);
   }
   // Found by name (no usable state): the entry has the status, the name has the port.
   const IndexedService& service = *found.indexed;
   const auto parsed = parse_service_name(service.name);
   const std::string ssh_host = ssh_host_for("");
   MachineRecord record;
   record.server_url = settings_.server.text;
   record.kind = service.kind;
   record.service_id = service.id;
   record.name = service.name;
   record.app_name = service.app_name;
   record.server_id = settings_.server_id.value_or("");
   record.ssh_host = ssh_host;
   record.ssh_port = parsed ? parsed->port : 0;
   try {
      record.save(host_);
   } catch (const Error& e) {
      host_.debug("cannot remember the service in the machine state: ", e.what());
   }
   return info_for(service.status, service.name, ssh_host, record.ssh_port, "");
}

void DokployBackend::stop(const std::string& machine_id) {
   VerbDeadline deadline(*api_, kStopBudget, "stop");
   const Located found = locate(machine_id, /*full_row=*/false);
   if (!found.found())
      throw Error(DPP_E_NOT_FOUND,
                  "workspace " + machine_id + " does not exist in Dokploy project " + settings_.project_name);
   const ServiceKind kind = found.view ? found.view->kind : found.indexed->kind;
   const std::string& id = found.view ? found.view->id : found.indexed->id;
   const std::string& name = found.view ? found.view->name : found.indexed->name;
   const std::string& status = found.view ? found.view->status : found.indexed->status;
   if (status == "idle") {
      host_.info(name, " is already stopped");
      return;
   }
   try {
      driver(kind).stop(id);
      host_.info("stopped ", name);
   } catch (const ApiError& e) {
      // A service whose deploy failed may have nothing to stop (Dokploy answers 500 then).
      if (status != "error" || e.status() == DPP_E_CANCELLED) throw;
      host_.info(name, " has failed and has nothing running to stop (", e.what(), ")");
   }
}

void DokployBackend::report_removal(const Removal& removal) {
   const RemovalSummary summary = summarize(removal);
   if (summary.volumes_left_unasked)
      host_.warn(summary.text);
   else
      host_.info(summary.text);
}

bool DokployBackend::wait_until_removed(ServiceDriver& kind_driver, const MachineRecord& record) {
   bool seen = false;
   try {
      ServiceView view;
      view.kind = record.kind;
      view.app_name = record.app_name;
      view.server_id = record.server_id;
      while (kind_driver.shows_containers(view)) {
         if (!seen) host_.info("waiting for Dokploy to remove the containers of ", record.name);
         seen = true;
         if (!sleep_unless_cancelled(host_, kRemovalPoll)) break;
      }
   } catch (const ApiError& e) {
      if (e.status() == DPP_E_CANCELLED) throw;
      // Listing containers is a courtesy here; the delete itself was answered.
      host_.warn("could not check that the containers of ", record.name, " are gone: ", e.what());
   }
   return seen;
}

void DokployBackend::remove(const std::string& machine_id, bool keep_volumes) {
   VerbDeadline deadline(*api_, kRemoveBudget, "delete");
   if (auto record = MachineRecord::load(host_, settings_.server.text);
       record && !record->duplicate_possible) {
      ServiceDriver& kind_driver = driver(record->kind);
      // Dokploy answers a delete once it has removed the service. A delete whose answer came too
      // late is repeated and answers 404 while Dokploy is still removing it (the row goes first):
      // containers still listed then mean the removal is ours and under way.
      if (kind_driver.remove(record->service_id, keep_volumes) || wait_until_removed(kind_driver, *record)) {
         report_removal({record->name, record->app_name + "_", record->volumes, kind_driver.removes_volumes(),
                         keep_volumes, record->addresses.size()});
         MachineRecord::forget(host_);
         return;
      }
   }
   const ProjectIndex index = fetch_index();
   const std::vector<IndexedService> services = index.machine_services(settings_.project_name, machine_id);
   for (const IndexedService& service : services) {
      ServiceDriver& kind_driver = driver(service.kind);
      kind_driver.remove(service.id, keep_volumes);
      // Without the machine's record the volumes' names are not known (project.all has no mounts).
      const std::string prefix =
          service.app_name.empty() ? requested_app_name(machine_id) + "-" : service.app_name + "_";
      report_removal({service.name, prefix, std::nullopt, kind_driver.removes_volumes(), keep_volumes});
   }
   if (services.empty()) host_.info(machine_id, " has no service in Dokploy; nothing to delete");
   MachineRecord::forget(host_);
}

}  // namespace dpp::dokploy

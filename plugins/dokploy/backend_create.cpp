// create and start: find or make the service, converge it, deploy, wait for SSH with this
// workspace's host key, move to another port when the chosen one belongs to someone else, and
// remove what a failed create made.
#include <algorithm>
#include <set>

#include "deploy_failure.hpp"
#include "dokploy_backend.hpp"
#include "port_allocator.hpp"
#include "service_naming.hpp"

namespace dpp::dokploy {

using dpp::sdk::Error;
using dpp::sdk::WorkspaceInfo;
using dpp::sdk::WorkspaceSpec;

namespace {

// Moving to another port more often than this means something else is wrong.
constexpr int kMaxPortMoves = 5;
constexpr int kMaxCreateAttempts = 3;

class SpecDeadline {
 public:
   SpecDeadline(DokployApi& api, uint32_t timeout_ms) : api_(api) {
      api_.set_deadline(Clock::now() + std::chrono::milliseconds(timeout_ms ? timeout_ms : 600'000),
                        "DOKPLOY_CREATE_TIMEOUT");
   }
   ~SpecDeadline() { api_.set_deadline(std::nullopt); }
   SpecDeadline(const SpecDeadline&) = delete;
   SpecDeadline& operator=(const SpecDeadline&) = delete;

 private:
   DokployApi& api_;
};

WorkspacePlan plan_for(const WorkspaceSpec& spec, uint16_t port, const Settings& settings) {
   return WorkspacePlan{spec, port, service_name(spec.machine_id, port), settings.docker_privileges};
}

// What Docker calls the service's named volumes (remembered so that delete can name them).
std::vector<std::string> volume_names(const std::string& app_name, const WorkspaceSpec& spec) {
   std::vector<std::string> names;
   for (const auto& volume : spec.volumes) names.push_back(docker_volume_name(app_name, volume.name));
   return names;
}

// What a deployment log must never show: the values the workspace's environment carries (its
// host key, the authorized key or password hash).
std::vector<std::string> secret_values(const WorkspaceSpec& spec) {
   std::vector<std::string> values;
   for (const auto& [name, value] : spec.env) values.push_back(value);
   return values;
}

}  // namespace

Placement DokployBackend::ensure_placement(const ProjectIndex& first_index) {
   const Features& f = features();
   ProjectIndex index = first_index;
   Placement placement;
   for (int attempt = 1;; ++attempt) {
      if (attempt > kMaxCreateAttempts + 1)
         throw Error(DPP_E_PROTOCOL,
                     "project " + settings_.project_name +
                         (settings_.environment_name ? " / environment " + *settings_.environment_name
                                                     : std::string()) +
                         " does not show up in project.all although Dokploy made it");
      const auto projects = index.named(settings_.project_name);
      if (!projects.empty()) {
         placement.project_id = projects.front()->id;
         if (!f.environments) return placement;
         const IndexedEnvironment* chosen = nullptr;
         for (const auto& env : projects.front()->environments) {
            if (settings_.environment_name ? env.name == *settings_.environment_name : env.is_default)
               chosen = &env;
         }
         if (!chosen && !settings_.environment_name && !projects.front()->environments.empty())
            chosen = &projects.front()->environments.front();
         if (chosen) {
            placement.environment_id = chosen->id;
            return placement;
         }
         Poco::JSON::Object body = json::body();
         body.set("name", *settings_.environment_name);
         body.set("description", "DevPod workspaces (dokploy-provider)");
         body.set("projectId", placement.project_id);
         try {
            const json::Object env = json::as_object(api_->mutate("environment.create", body, Repeat::once));
            host_.info("created environment '", *settings_.environment_name, "' in project ",
                       settings_.project_name);
            placement.environment_id = json::text(env, "environmentId");
            if (!placement.environment_id.empty()) return placement;
            // An answer without the row: the next project.all shows the environment.
         } catch (const ApiError& e) {
            if (!e.uncertain() || attempt >= kMaxCreateAttempts) throw;
            host_.warn(e.what(), "; checking whether the environment was made anyway");
         }
      } else {
         Poco::JSON::Object body = json::body();
         body.set("name", settings_.project_name);
         body.set("description", "DevPod workspaces (dokploy-provider)");
         try {
            const json::Object answer = json::as_object(api_->mutate("project.create", body, Repeat::once));
            // v0.25+: {project, environment}; up to v0.24 the bare project.
            const json::Object project =
                json::has(answer, "project") ? json::object(answer, "project") : answer;
            placement.project_id = json::text(project, "projectId");
            placement.environment_id = json::text(json::object(answer, "environment"), "environmentId");
            host_.info("created project ", settings_.project_name);
            // Concurrent first creates may each make the project. All of them use the oldest, and
            // whoever made a younger one removes it again while it is still empty.
            index = fetch_index();
            const auto named = index.named(settings_.project_name);
            const bool ours_is_empty = std::none_of(
                index.services().begin(), index.services().end(),
                [&](const IndexedService& service) { return service.project_id == placement.project_id; });
            if (!placement.project_id.empty() && !named.empty() &&
                named.front()->id != placement.project_id && ours_is_empty) {
               Poco::JSON::Object remove = json::body();
               remove.set("projectId", placement.project_id);
               try {
                  api_->mutate("project.remove", remove, Repeat::safe);
                  host_.info("another create made project ", settings_.project_name,
                             " first; removed the duplicate");
               } catch (const ApiError& e) {
                  host_.debug("could not remove the duplicate project: ", e.what());
               }
            }
            continue;
         } catch (const ApiError& e) {
            if (!e.uncertain() || attempt >= kMaxCreateAttempts) throw;
            host_.warn(e.what(), "; checking whether the project was made anyway");
         }
      }
      index = fetch_index();
   }
}

ServiceView DokployBackend::create_service(ServiceDriver& kind_driver, const Placement& placement,
                                           const WorkspacePlan& plan, MachineRecord& record) {
   for (int attempt = 1;; ++attempt) {
      try {
         ServiceView view = kind_driver.create(placement, plan, features());
         record.duplicate_possible = attempt > 1;
         return view;
      } catch (const ApiError& e) {
         if (!e.uncertain() || attempt >= kMaxCreateAttempts) throw;
         host_.warn(e.what(), "; checking whether the service was made anyway");
      }
      api_->wait_for_late_writes();  // a create that lands late would be a duplicate
      const ProjectIndex index = fetch_index();
      for (const IndexedService& service :
           index.machine_services(settings_.project_name, plan.spec.machine_id)) {
         if (service.kind != kind_driver.kind()) continue;
         if (std::optional<ServiceView> view = kind_driver.one(service.id)) {
            record.duplicate_possible = true;
            return *view;
         }
      }
   }
}

uint16_t DokployBackend::reallocate_port(const std::string& machine_id, const std::string& service_id,
                                         std::set<uint16_t>& avoid) {
   const ProjectIndex index = fetch_index();
   std::set<uint16_t> taken = index.ports_in_use(service_id);
   taken.insert(avoid.begin(), avoid.end());
   return choose_port(machine_id, settings_.port_low, settings_.port_high, taken);
}

std::string DokployBackend::port_conflict(const DeployFailure& failure, const ServiceView& view,
                                          uint16_t port) {
   for (const std::string& line : failure.log_lines)
      if (is_port_conflict(line)) return line;
   if (is_port_conflict(failure.error_message)) return failure.error_message;
   // Without a log (Dokploy before deployment.readLogs), a concurrent create that took the port is
   // still visible: its service's name claims it.
   if (failure.log_lines.empty() && fetch_index().ports_in_use(view.id).count(port))
      return "the deploy failed and another workspace's service claims the port";
   return "";
}

void DokployBackend::discard_failed(ServiceDriver& kind_driver, const ServiceView& view,
                                    const WorkspaceSpec& spec, MachineRecord& record) {
   if (spec.keep_failed()) {
      host_.warn("keeping the failed service '", view.name, "' for inspection (DOKPLOY_KEEP_FAILED)");
      return;
   }
   DokployApi::CleanupScope cleanup(*api_);
   try {
      kind_driver.remove(view.id, /*keep_volumes=*/false);
      MachineRecord::forget(host_);
      record = MachineRecord{};
      report_removal({"the failed service '" + view.name + "'", view.app_name + "_",
                      volume_names(view.app_name, spec), kind_driver.removes_volumes(),
                      /*keep_volumes=*/false});
   } catch (const std::exception& e) {
      host_.error("could not delete the failed service '", view.name, "' (", e.what(),
                  "); delete it in Dokploy or run `devpod delete`");
   }
}

bool DokployBackend::share_ports(ServiceDriver& kind_driver, ServiceView& view, const std::string& machine_id,
                                 MachineRecord& record) {
   SharedAddresses shared(*api_, settings_.sharing);
   for (int attempt = 1;; ++attempt) {
      try {
         const SharedAddresses::Outcome outcome =
             shared.converge(view, machine_id, [this]() -> const Features& { return features(); });
         record.addresses = outcome.addresses;
         // After an unknown outcome something may have changed before the answer was lost.
         return view.kind == ServiceKind::compose && (outcome.changed || attempt > 1);
      } catch (const ApiError& e) {
         if (!e.uncertain() || attempt >= kMaxCreateAttempts) throw;
         host_.warn(e.what(), "; reading the domains of ", view.name, " again");
      }
      api_->wait_for_late_writes();  // a domain.create that lands late would be a duplicate
      std::optional<ServiceView> again = kind_driver.one(view.id);
      if (!again)
         throw Error(DPP_E_NOT_FOUND, "service " + view.name + " disappeared while its domains were made");
      view = std::move(*again);
   }
}

void DokployBackend::report_addresses(const std::vector<SharedAddress>& addresses) const {
   for (const SharedAddress& address : addresses)
      host_.info("port ", address.port, " is shared at ", address.url);
   if (addresses.empty()) return;
   if (settings_.sharing.forward_auth)
      host_.info("the shared addresses ask for Dokploy's single sign-on first (forward auth)");
   else
      host_.warn(
          "the shared addresses are public: anyone who knows them reaches the app, unless "
          "the app itself asks for a login (docs/devpod.md, \"Share ports\")");
}

WorkspaceInfo DokployBackend::create(const WorkspaceSpec& spec) {
   WorkspacePlan::validate(spec);
   plan_addresses(settings_.sharing, spec.machine_id);  // bad host names fail before any request
   SpecDeadline deadline(*api_, spec.timeout_ms);
   const Stopwatch clock;
   const Features& f = features();
   host_.info("creating ", spec.machine_id, " on ", settings_.server.text, " (Dokploy ", f.version.text(),
              ")");
   Located found = locate(spec.machine_id, /*full_row=*/true);
   if (found.view) {
      ServiceDriver& existing = driver(found.view->kind);
      if ((existing.kind() == ServiceKind::compose) != (settings_.service_type == ServiceType::compose))
         host_.warn(spec.machine_id, " already exists as a ", kind_name(existing.kind()),
                    " service; keeping it (delete the workspace to change DOKPLOY_SERVICE_TYPE)");
      host_.info(found.view->name, " exists (", found.view->status, "); converging it (", clock.text(), ")");
      MachineRecord record = found.record.value_or(MachineRecord{});
      return bring_up(existing, *found.view, spec, Mode::create, /*fresh=*/false, record, clock);
   }
   const ProjectIndex index = found.index ? *found.index : fetch_index();
   const Placement placement = ensure_placement(index);
   ServiceDriver& kind_driver = driver(
       settings_.service_type == ServiceType::compose ? ServiceKind::compose : ServiceKind::application);
   const uint16_t port =
       choose_port(spec.machine_id, settings_.port_low, settings_.port_high, index.ports_in_use(""));
   const WorkspacePlan plan = plan_for(spec, port, settings_);
   MachineRecord record;
   ServiceView view = create_service(kind_driver, placement, plan, record);
   host_.info("created ", kind_name(kind_driver.kind()), " service '", view.name, "' (", view.app_name, ", ",
              clock.text(), ")");
   try {
      // Remember it at once: a killed create must not lose track of what it made.
      const bool duplicate = record.duplicate_possible;
      record = record_for(view, port, settings_.ssh_host.value_or(""));
      record.duplicate_possible = duplicate;
      record.volumes = volume_names(view.app_name, spec);
      record.save(host_);
      return bring_up(kind_driver, view, spec, Mode::create, /*fresh=*/true, record, clock);
   } catch (...) {
      discard_failed(kind_driver, view, spec, record);
      throw;
   }
}

WorkspaceInfo DokployBackend::start(const WorkspaceSpec& spec) {
   WorkspacePlan::validate(spec);
   plan_addresses(settings_.sharing, spec.machine_id);
   SpecDeadline deadline(*api_, spec.timeout_ms);
   const Stopwatch clock;
   Located found = locate(spec.machine_id, /*full_row=*/true);
   if (!found.view)
      throw Error(DPP_E_NOT_FOUND, "workspace " + spec.machine_id + " does not exist in Dokploy project " +
                                       settings_.project_name + "; create it (devpod up)");
   MachineRecord record = found.record.value_or(MachineRecord{});
   return bring_up(driver(found.view->kind), *found.view, spec, Mode::start, /*fresh=*/false, record, clock);
}

WorkspaceInfo DokployBackend::bring_up(ServiceDriver& kind_driver, ServiceView view,
                                       const WorkspaceSpec& spec, Mode mode, bool fresh,
                                       MachineRecord& record, const Stopwatch& clock) {
   DeployMonitor monitor(*api_, kind_driver, clock, settings_.poll_interval_ms);
   const std::string title = mode == Mode::create ? "DevPod create" : "DevPod start";
   std::set<uint16_t> avoid;
   uint16_t port = 0;
   if (auto parsed = parse_service_name(view.name)) port = parsed->port;
   // start brings the workspace up with the options as they are now (a DOKPLOY_SSH_PUBLISH_MODE
   // changed since create, say); it leaves alone a deploy that is under way.
   bool apply_plan = mode == Mode::create || view.status != "running";
   if (port == 0) {
      port = reallocate_port(spec.machine_id, view.id, avoid);
      apply_plan = true;
   }
   bool must_deploy = fresh;
   int moves = 0;
   // The port answers for something else: take the next free one, apply it, deploy again.
   const auto move_port = [&](const std::string& why) {
      if (++moves > kMaxPortMoves)
         throw Error(DPP_E_CONFLICT, "gave up after moving " + spec.machine_id + " to " +
                                         std::to_string(kMaxPortMoves) + " other ports (last: " + why +
                                         "); check DOKPLOY_SSH_HOST and "
                                         "DOKPLOY_SSH_PORT_RANGE");
      host_.warn("port ", port, " belongs to something else (", why, "); moving ", spec.machine_id,
                 " to another port");
      avoid.insert(port);
      port = reallocate_port(spec.machine_id, view.id, avoid);
      apply_plan = true;
      must_deploy = true;
   };
   // From here the service exists, so the workspace can be told which one it is.
   const WorkspaceSpec identified = with_service_identity(spec, view.kind, view.id);
   // Before the deploy: a compose service's deploy is what applies its domains.
   if (share_ports(kind_driver, view, spec.machine_id, record)) must_deploy = true;
   const auto ready = [&](WorkspaceInfo info) {
      report_addresses(record.addresses);
      return info;
   };
   while (true) {
      const WorkspacePlan plan = plan_for(identified, port, settings_);
      if (apply_plan && kind_driver.converge(view, plan, features())) must_deploy = true;
      const std::string ssh_host = ssh_host_for(view.server_ip);
      record = [&] {
         MachineRecord updated = record_for(view, port, ssh_host);
         updated.name = plan.name;
         updated.duplicate_possible = record.duplicate_possible;
         updated.volumes = volume_names(view.app_name, spec);
         updated.addresses = record.addresses;
         return updated;
      }();
      record.save(host_);

      bool deploy_now = must_deploy;
      bool follow_running = false;
      if (!must_deploy) {
         if (view.status == "done") {
            std::string reason;
            const auto seen = monitor.probe_endpoint(ssh_host, port, reason);
            if (seen == EndpointResult::answers) {
               host_.info(view.name, " already runs and answers at ", ssh_host, ":", port, " (", clock.text(),
                          ")");
               return ready(info_for("done", plan.name, ssh_host, port, ""));
            }
            if (seen == EndpointResult::other_host_key) {
               move_port(ssh_host + ":" + std::to_string(port) + " answers with another host key");
               continue;
            }
            host_.info(view.name, " is deployed but ", ssh_host, ":", port, " does not answer (", reason,
                       "); deploying it again");
            deploy_now = true;
         } else if (view.status == "running") {
            follow_running = true;
         } else if (view.status == "idle" && mode == Mode::start) {
            try {
               kind_driver.start(view.id);
               host_.info("started ", view.name, " (", clock.text(), ")");
            } catch (const ApiError& e) {
               if (e.status() == DPP_E_CANCELLED || e.status() == DPP_E_TIMEOUT) throw;
               host_.info("starting ", view.name, " failed (", e.what(), "); deploying it instead");
               deploy_now = true;
            }
         } else {
            deploy_now = true;  // idle on create, error, or a status this version does not know
         }
      }

      if (deploy_now || follow_running) {
         DeployResult result = monitor.deploy(view, deploy_now, title);
         view = result.view;
         if (!result.succeeded) {
            const DeployFailure failure = read_deploy_failure(*api_, view, result.failed, secret_values(spec),
                                                              features().version.text());
            if (const std::string conflict = port_conflict(failure, view, port);
                !conflict.empty() && moves < kMaxPortMoves) {
               move_port(conflict);
               continue;
            }
            throw Error(DPP_E_REMOTE, "the deploy of '" + view.name + "' failed" +
                                          failure.describe(kind_driver.container_state(view)));
         }
         host_.info("deployed ", view.name, " (", clock.text(), ")");
      }
      must_deploy = false;

      IngressWatch ingress(host_, *application_, view, port,
                           std::chrono::milliseconds(settings_.poll_interval_ms));
      const EndpointResult endpoint = monitor.wait_for_endpoint(view, ssh_host, port, &ingress);
      if (endpoint == EndpointResult::answers) return ready(info_for("done", plan.name, ssh_host, port, ""));
      move_port(ssh_host + ":" + std::to_string(port) + " answers with another host key");
   }
}

}  // namespace dpp::dokploy

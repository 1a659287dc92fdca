// Following a Dokploy deploy to its end, and the SSH endpoint until it answers.
#include "deploy_monitor.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>

namespace dpp::dokploy {
namespace {

using dpp::sdk::Error;

// A queued job that has shown no sign of life for this long on an idle service was lost (a
// Dokploy restart drops its in-memory queue): deploy again.
constexpr auto kStalledQueue = std::chrono::seconds(45);
constexpr int kMaxRedeploys = 3;
constexpr auto kProgressEvery = std::chrono::seconds(10);

std::set<std::string> ids_of(const std::vector<Deployment>& deployments) {
   std::set<std::string> ids;
   for (const auto& deployment : deployments) ids.insert(deployment.id);
   return ids;
}

std::optional<Deployment> newest_unknown(const ServiceView& view, const std::set<std::string>& known) {
   std::optional<Deployment> best;
   for (const auto& deployment : view.deployments)
      if (!known.count(deployment.id) && (!best || deployment.created_at >= best->created_at))
         best = deployment;
   return best;
}

std::string lower(std::string text) {
   std::transform(text.begin(), text.end(), text.begin(),
                  [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
   return text;
}

}  // namespace

std::string Stopwatch::text() const {
   char buffer[32];
   std::snprintf(buffer, sizeof buffer, "%.1f s", seconds());
   return buffer;
}

bool is_port_conflict(const std::string& error) {
   const std::string text = lower(error);
   return text.find("already allocated") != std::string::npos ||
          text.find("already in use") != std::string::npos ||
          text.find("address in use") != std::string::npos;
}

DeployMonitor::DeployMonitor(DokployApi& api, ServiceDriver& driver, const Stopwatch& clock,
                             uint32_t poll_interval_ms)
    : api_(api), driver_(driver), clock_(clock), max_interval_(std::max<uint32_t>(poll_interval_ms, 10)) {}

void DeployMonitor::check_deadline(const std::string& what, const std::string& detail) const {
   if (api_.deadline() && Clock::now() >= *api_.deadline())
      throw Error(DPP_E_TIMEOUT, what + " did not finish within " + clock_.text() +
                                     " (DOKPLOY_CREATE_TIMEOUT)" + (detail.empty() ? "" : "; " + detail));
}

void DeployMonitor::pause(std::chrono::milliseconds& interval) {
   auto wait = interval;
   if (api_.deadline()) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(*api_.deadline() - Clock::now());
      wait = std::max(std::chrono::milliseconds(0), std::min(wait, left));
   }
   if (!sleep_unless_cancelled(api_.host(), wait)) throw Error(DPP_E_CANCELLED, "cancelled by the user");
   interval = std::min(max_interval_, interval * 3 / 2);
}

void DeployMonitor::request_deploy(const ServiceView& before, const std::string& title) {
   // A change of the configuration that lands after the deploy would undo it (Dokploy resets the
   // status to idle on a provider change, for one): let lost writes land first.
   if (api_.late_writes_until() && Clock::now() < *api_.late_writes_until()) {
      api_.host().info("an earlier request's answer was lost; giving it time to land before the deploy of ",
                       before.name, " (", clock_.text(), ")");
      api_.wait_for_late_writes();
   }
   driver_.deploy(before.id, title);
}

// A deploy request whose answer was lost was asked again; the first may still be taken by Dokploy
// (a slow server, a proxy holding it), even after the second ran, and restart the workspace right
// after create said it was ready. So, only after such a loss: wait until it may have landed, look
// once more, and follow what came.
std::optional<Deployment> DeployMonitor::late_deployment(const ServiceView& before,
                                                         const std::set<std::string>& known,
                                                         const std::optional<Deployment>& ours) {
   if (!api_.late_writes_until()) return std::nullopt;
   api_.wait_for_late_writes();
   const std::optional<ServiceView> view = driver_.one(before.id);
   if (!view) return std::nullopt;
   std::set<std::string> seen = known;
   if (ours) seen.insert(ours->id);
   return newest_unknown(*view, seen);
}

DeployResult DeployMonitor::deploy(const ServiceView& before, bool deploy_now, const std::string& title) {
   const dpp::sdk::Host& host = api_.host();
   const std::string label = "deploy of " + before.name;
   std::set<std::string> known = ids_of(before.deployments);
   std::string previous_status = before.status;
   bool seen_running = false;
   if (deploy_now) {
      request_deploy(before, title);
      host.info(label, " queued (", clock_.text(), ")");
   } else {
      // Follow the deploy in progress: its deployment row is the newest one.
      if (auto current = before.newest(); current && current.value().status == "running")
         known.erase(current->id);
      seen_running = before.status == "running";
      host.info(label, " is already running; waiting for it (", clock_.text(), ")");
   }
   int redeploys = 0;
   auto queued_at = Clock::now();
   auto last_progress = Clock::now();
   std::string last_status = previous_status;
   std::chrono::milliseconds interval(std::min<int64_t>(250, max_interval_.count()));
   while (true) {
      check_deadline(label, "Dokploy still says '" + last_status + "'");
      pause(interval);
      check_deadline(label, "Dokploy still says '" + last_status + "'");
      std::optional<ServiceView> view = driver_.one(before.id);
      if (!view)
         throw Error(DPP_E_NOT_FOUND, "the " + std::string(kind_name(before.kind)) + " service " +
                                          before.name +
                                          " disappeared during its deploy (deleted in Dokploy?)");
      const std::optional<Deployment> ours = newest_unknown(*view, known);
      if (view->status == "running") seen_running = true;
      if (view->status != last_status || Clock::now() - last_progress >= kProgressEvery) {
         host.info(label, ": ", view->status.empty() ? "(no status)" : view->status, " (", clock_.text(),
                   ")");
         last_status = view->status;
         last_progress = Clock::now();
      }
      bool lost = false;
      if (ours) {
         if (ours->status == "done" && view->status != "running") {
            if (const auto late = late_deployment(before, known, ours)) {
               host.info("a deploy request of ", before.name, " that had lost its answer landed late; ",
                         "waiting for it too (", clock_.text(), ")");
               known.insert(ours->id);
               seen_running = false;
               continue;
            }
            return {true, std::nullopt, *view};
         }
         if (ours->status == "error") return {false, ours, *view};
         if (ours->status == "cancelled") lost = true;
         if (ours->status == "running" && view->status == "idle" && seen_running) lost = true;
      } else {
         // Servers that write the deployment row late (or not at all) still move the status.
         if (seen_running && view->status == "done") return {true, std::nullopt, *view};
         if (seen_running && view->status == "error") return {false, view->newest(), *view};
         if (view->status == "idle" && (seen_running || previous_status == "done" ||
                                        previous_status == "error" || previous_status == "running"))
            lost = true;
      }
      if (!lost && view->status == "idle" && !(ours && ours->status == "running") &&
          Clock::now() - queued_at >= kStalledQueue)
         lost = true;
      if (lost) {
         if (++redeploys > kMaxRedeploys)
            throw Error(DPP_E_REMOTE, "Dokploy dropped the " + label + " " + std::to_string(kMaxRedeploys) +
                                          " times (is it restarting?)");
         host.warn("Dokploy lost the ", label, " (restarted?); deploying again (", clock_.text(), ")");
         known = ids_of(view->deployments);
         previous_status = view->status;
         seen_running = false;
         queued_at = Clock::now();
         request_deploy(before, title);
         interval = std::chrono::milliseconds(std::min<int64_t>(250, max_interval_.count()));
      }
   }
}

std::optional<EndpointResult> DeployMonitor::probe_endpoint(const std::string& host_name, uint16_t port,
                                                            std::string& reason, bool* refused) {
   const dpp::sdk::Host& host = api_.host();
   uint32_t timeout = 5000;
   if (api_.deadline()) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(*api_.deadline() - Clock::now()).count();
      timeout = static_cast<uint32_t>(std::clamp<int64_t>(left, 200, 5000));
   }
   reason.clear();
   dpp_status status = DPP_OK;
   try {
      host.check_endpoint(host_name, port, "", timeout);
   } catch (const Error& e) {
      status = e.status();
      reason = e.what();
   }
   switch (status) {
      case DPP_OK: return EndpointResult::answers;
      case DPP_E_HOST_KEY_MISMATCH: return EndpointResult::other_host_key;
      case DPP_E_UNSUPPORTED:
         host.warn("this host cannot check SSH endpoints (", reason, "); trusting Dokploy's word that ",
                   host_name, ":", port, " is the workspace");
         return EndpointResult::answers;
      case DPP_E_INVALID_ARGUMENT:
         throw Error(DPP_E_INVALID_ARGUMENT,
                     "cannot check " + host_name + ":" + std::to_string(port) + ": " + reason);
      default:
         if (reason.empty()) reason = dpp_strerror(status);
         if (refused) *refused = connection_refused(status, reason);
         return std::nullopt;
   }
}

EndpointResult DeployMonitor::wait_for_endpoint(const ServiceView& view, const std::string& host_name,
                                                uint16_t port, IngressWatch* ingress) {
   const dpp::sdk::Host& host = api_.host();
   const std::string where = host_name + ":" + std::to_string(port);
   host.info("waiting for the workspace's SSH server at ", where, " (", clock_.text(), ")");
   auto last_progress = Clock::now();
   std::chrono::milliseconds interval(std::min<int64_t>(250, max_interval_.count()));
   std::string reason;
   while (true) {
      if (host.cancelled()) throw Error(DPP_E_CANCELLED, "cancelled by the user");
      if (api_.deadline() && Clock::now() >= *api_.deadline()) {
         const std::string containers = driver_.container_state(view);
         throw Error(
             DPP_E_TIMEOUT,
             "the workspace " + view.name + " was deployed but its SSH server at " + where +
                 " did not answer within " + clock_.text() + " (DOKPLOY_CREATE_TIMEOUT; last: " + reason +
                 ")" + (containers.empty() ? "" : "; " + containers) +
                 (ingress && ingress->suspect()
                      ? "; if Swarm's routing mesh does not forward on this server, " + unrouted_ingress_fix()
                      : ""));
      }
      bool refused = false;
      if (auto result = probe_endpoint(host_name, port, reason, &refused)) {
         if (*result == EndpointResult::answers)
            host.info(where, " answers with the workspace's host key (", clock_.text(), ")");
         return *result;
      }
      if (Clock::now() - last_progress >= kProgressEvery) {
         host.info("still waiting for SSH at ", where, ": ", reason, " (", clock_.text(), ")");
         last_progress = Clock::now();
      }
      host.debug(where, " does not answer yet: ", reason);
      if (ingress) ingress->after_probe(refused, where);
      pause(interval);
   }
}

}  // namespace dpp::dokploy

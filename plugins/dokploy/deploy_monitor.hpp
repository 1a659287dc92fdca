// Waits for what create and start wait for: a deploy to finish (noticing a Dokploy restart that
// lost the job, and deploying again then), and the workspace's SSH port to answer with the
// workspace's own host key. Polls with a growing interval, logs progress with elapsed time.
#pragma once

#include <chrono>
#include <cstdint>
#include <set>
#include <string>

#include "dokploy_api.hpp"
#include "ingress_watch.hpp"
#include "service_driver.hpp"

namespace dpp::dokploy {

// Time since the verb began, for progress lines.
class Stopwatch {
 public:
   Stopwatch() : start_(Clock::now()) {}
   double seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }
   std::string text() const;

 private:
   Clock::time_point start_;
};

struct DeployResult {
   bool succeeded = false;
   std::optional<Deployment> failed;  // the failed deployment, when Dokploy lists it
   ServiceView view;                  // as last read
};

enum class EndpointResult { answers, other_host_key };

// True when a deploy error says the published port is taken on the server.
bool is_port_conflict(const std::string& error);

class DeployMonitor {
 public:
   DeployMonitor(DokployApi& api, ServiceDriver& driver, const Stopwatch& clock, uint32_t poll_interval_ms);

   // Deploys `before` (or, with deploy_now false, follows the deploy already running) and waits
   // for the outcome. Throws ApiError/Error on a timeout, a cancellation or a vanished service.
   DeployResult deploy(const ServiceView& before, bool deploy_now, const std::string& title);

   // Waits until host:port answers with this workspace's host key, or proves to be someone else's.
   // Throws Error(DPP_E_TIMEOUT) with the last reason when the deadline passes, and whatever
   // `ingress` (when given) throws on recognising a routing mesh that does not forward.
   EndpointResult wait_for_endpoint(const ServiceView& view, const std::string& host, uint16_t port,
                                    IngressWatch* ingress = nullptr);

   // One quick look (no waiting): answers / other key / silent (nullopt, with `refused` set when
   // the connection was refused).
   std::optional<EndpointResult> probe_endpoint(const std::string& host, uint16_t port, std::string& reason,
                                                bool* refused = nullptr);

 private:
   // Asks Dokploy to deploy `before`, once earlier writes whose answers were lost had time to land.
   void request_deploy(const ServiceView& before, const std::string& title);
   // After a deploy finished: when a request of this verb lost its answer, waits until it may have
   // landed and returns a deployment that came after `ours` (a deploy request that landed late).
   std::optional<Deployment> late_deployment(const ServiceView& before, const std::set<std::string>& known,
                                             const std::optional<Deployment>& ours);
   void pause(std::chrono::milliseconds& interval);
   void check_deadline(const std::string& what, const std::string& detail) const;

   DokployApi& api_;
   ServiceDriver& driver_;
   const Stopwatch& clock_;
   std::chrono::milliseconds max_interval_;
};

}  // namespace dpp::dokploy

// Recognises a Swarm routing mesh that does not forward: an application's task runs while the SSH
// port it publishes in ingress mode refuses every connection (servers whose mesh is broken or
// missing). create and start then fail early with the fix instead of waiting out
// DOKPLOY_CREATE_TIMEOUT, and doctor says the same for a workspace in that state.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "application_driver.hpp"

namespace dpp::dokploy {

// True when `view` is an application that publishes `port` through Swarm's routing mesh.
bool published_through_ingress(const ServiceView& view, uint16_t port);

// What to do about it, in every message that names the problem: for a create or start that just
// failed, or for a workspace that runs (doctor), which DevPod must stop before start applies it.
std::string unrouted_ingress_fix(bool running_workspace = false);

// True when an endpoint check failed because the connection was refused (nothing listens, or
// nothing forwards), rather than timing out or failing later.
bool connection_refused(dpp_status status, const std::string& reason);

class IngressWatch {
 public:
   // Refused probes in a row, at least this many poll intervals apart in all, before the verdict.
   static constexpr int kRefusals = 20;

   // Watches `port` of `view` (nothing to watch unless published_through_ingress). Probes come
   // at most `poll_interval` apart. The driver is borrowed for the watch's life.
   IngressWatch(const dpp::sdk::Host& host, ApplicationDriver& driver, const ServiceView& view, uint16_t port,
                std::chrono::milliseconds poll_interval);

   bool applies() const { return applies_; }

   // Called after each probe that did not reach the workspace: `refused` when the connection
   // was refused (anything else starts the count over). Throws Error(DPP_E_REMOTE) naming the
   // fix once the port has refused kRefusals times in a row, over at least kRefusals poll
   // intervals, with a task of the service running when the streak began and when it ended.
   // `where` is host:port for the message.
   void after_probe(bool refused, const std::string& where);

   // True while the last probes were refused with the task running (for a timeout's message).
   bool suspect() const { return streak_start_.has_value(); }

 private:
   // The running task's state ("Running 2 minutes ago"), or nullopt; one request.
   std::optional<std::string> running_task();

   const dpp::sdk::Host& host_;
   ApplicationDriver& driver_;
   ServiceView view_;
   bool applies_;
   std::chrono::milliseconds poll_interval_;
   std::optional<std::chrono::steady_clock::time_point> streak_start_;
   int streak_ = 0;
   int until_next_look_ = 0;  // refusals to let pass before asking Swarm again
};

}  // namespace dpp::dokploy

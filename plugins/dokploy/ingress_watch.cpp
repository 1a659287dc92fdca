// Counting refused connections to an ingress-published port while its Swarm task runs.
#include "ingress_watch.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace dpp::dokploy {
namespace {

using dpp::sdk::Error;

// Refusals to let pass between two looks at Swarm while no task runs yet (the image is pulled,
// the task is starting): one request per probe would be wasteful.
constexpr int kLookEvery = 5;

std::string seconds(std::chrono::steady_clock::duration elapsed) {
   char buffer[32];
   std::snprintf(buffer, sizeof buffer, "%.1f s", std::chrono::duration<double>(elapsed).count());
   return buffer;
}

}  // namespace

bool published_through_ingress(const ServiceView& view, uint16_t port) {
   if (view.kind != ServiceKind::application) return false;
   for (const json::Object& row : json::objects(json::array(view.row, "ports")))
      if (json::text(row, "publishedPort") == std::to_string(port))
         // Before v0.23.7 there was no publishMode and every port went through the mesh.
         return !json::has(row, "publishMode") || json::text(row, "publishMode") == "ingress";
   return false;
}

std::string unrouted_ingress_fix(bool running_workspace) {
   return std::string(
              "set DOKPLOY_SSH_PUBLISH_MODE=host (the port is then published on the node that runs "
              "the workspace), then ") +
          (running_workspace ? "`devpod stop` and `devpod up`: start publishes it that way"
                             : "run `devpod up` again");
}

bool connection_refused(dpp_status status, const std::string& reason) {
   std::string text = reason;
   std::transform(text.begin(), text.end(), text.begin(),
                  [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
   return status == DPP_E_CONNECT && text.find("refused") != std::string::npos;
}

IngressWatch::IngressWatch(const dpp::sdk::Host& host, ApplicationDriver& driver, const ServiceView& view,
                           uint16_t port, std::chrono::milliseconds poll_interval)
    : host_(host),
      driver_(driver),
      view_(view),
      applies_(published_through_ingress(view, port)),
      poll_interval_(poll_interval) {}

std::optional<std::string> IngressWatch::running_task() {
   try {
      for (const SwarmTask& task : driver_.tasks(view_))
         if (task.running()) return task.state_text();
   } catch (const ApiError& e) {
      if (e.status() == DPP_E_CANCELLED || e.status() == DPP_E_TIMEOUT) throw;
      host_.debug("cannot read the Swarm tasks of ", view_.name, ": ", e.what());
   }
   return std::nullopt;
}

void IngressWatch::after_probe(bool refused, const std::string& where) {
   if (!applies_) return;
   if (!refused) {
      streak_start_.reset();
      streak_ = 0;
      return;
   }
   if (!streak_start_) {
      if (until_next_look_ > 0) {
         --until_next_look_;
         return;
      }
      if (!running_task()) {
         until_next_look_ = kLookEvery;
         return;
      }
      streak_start_ = std::chrono::steady_clock::now();
      streak_ = 1;
      return;
   }
   ++streak_;
   const auto elapsed = std::chrono::steady_clock::now() - *streak_start_;
   if (streak_ < kRefusals || elapsed < kRefusals * poll_interval_) return;
   const std::optional<std::string> task = running_task();
   if (!task) {
      streak_start_.reset();
      streak_ = 0;
      return;
   }
   throw Error(DPP_E_REMOTE, "the workspace " + view_.name + " runs (its Swarm task: " + *task +
                                 ") but its SSH port " + where + " refused every connection for " +
                                 seconds(elapsed) + " (" + std::to_string(streak_) +
                                 " attempts): Swarm's routing mesh does not forward this server's "
                                 "ports published in ingress mode (DOKPLOY_SSH_PUBLISH_MODE=ingress); " +
                                 unrouted_ingress_fix());
}

}  // namespace dpp::dokploy

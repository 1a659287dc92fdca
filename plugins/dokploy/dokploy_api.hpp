// The Dokploy HTTP API as procedures: GET queries with flat parameters, POST mutations with JSON,
// the x-api-key header, bounded retries with backoff, deadlines, cancellation, and messages that
// say which procedure failed and why.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <dpp/cpp/plugin.hpp>

#include "api_error.hpp"
#include "http_session.hpp"
#include "plugin_options.hpp"
#include "retry_policy.hpp"

namespace dpp::dokploy {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// How a mutation may be repeated after a failure that leaves its outcome unknown.
enum class Repeat {
   // Doing it twice equals doing it once (update, save, stop, delete): retried like a read.
   safe,
   // It makes something (create): retried only when it certainly did not arrive (refused
   // connection, HTTP 429); otherwise ApiError::uncertain() asks the caller to look first.
   once,
};

// What GET /api/health found: OK, or the status and the reason; when no HTTP answer came, what
// failed on the way.
struct HealthReport {
   dpp_status status = DPP_OK;
   std::string detail;
   std::optional<TransportFailureKind> failure;
};

class DokployApi {
 public:
   DokployApi(const Settings& settings, dpp::sdk::Host host);

   // GET /api/<procedure>?<params>; the parsed answer (an empty Var for an empty body).
   Poco::Dynamic::Var query(const std::string& procedure, const QueryParams& params = {});
   // POST /api/<procedure> with `body`.
   Poco::Dynamic::Var mutate(const std::string& procedure, const Poco::JSON::Object& body, Repeat repeat);

   // GET /api/health without the token and without retries.
   HealthReport health();

   // Requests after this point give up when it passes (the verb's overall bound); `bound` names
   // it in messages ("DOKPLOY_CREATE_TIMEOUT").
   void set_deadline(std::optional<Clock::time_point> deadline, std::string bound = "") {
      deadline_ = deadline;
      deadline_bound_ = std::move(bound);
   }
   std::optional<Clock::time_point> deadline() const { return deadline_; }

   // A write whose answer was lost after it reached Dokploy (a timeout, a dropped connection)
   // may still be applied later: after its own retry, or after what came next. Until this point
   // such a write may still land; a step that must not be overtaken by one (a deploy, which
   // reads the configuration and ends with the service's status) waits for it.
   std::optional<Clock::time_point> late_writes_until() const { return late_writes_until_; }
   // Waits until then (no longer than the deadline); false when there was nothing to wait for.
   // Throws ApiError(DPP_E_CANCELLED) when the user cancels.
   bool wait_for_late_writes();

   // Cleanup after a failure or a cancellation: no deadline, no cancellation; after a
   // cancellation one short attempt per request (DevPod kills the process 2 s after SIGINT).
   class CleanupScope {
    public:
      explicit CleanupScope(DokployApi& api) : api_(api), was_(api.cleanup_) { api_.cleanup_ = true; }
      ~CleanupScope() { api_.cleanup_ = was_; }
      CleanupScope(const CleanupScope&) = delete;
      CleanupScope& operator=(const CleanupScope&) = delete;

    private:
      DokployApi& api_;
      bool was_;
   };

   const Settings& settings() const { return settings_; }
   const dpp::sdk::Host& host() const { return host_; }

 private:
   Poco::Dynamic::Var call(const std::string& method, const std::string& procedure, const std::string& target,
                           const std::string& body, Repeat repeat);
   uint32_t timeout_for_next_request(const std::string& procedure) const;
   void warn_about_transport_once();

   const Settings& settings_;
   dpp::sdk::Host host_;
   HttpSession session_;
   Backoff backoff_;
   std::optional<Clock::time_point> deadline_;
   std::string deadline_bound_;
   bool cleanup_ = false;
   std::optional<Clock::time_point> late_writes_until_;
   bool warned_ = false;
   HeaderList headers_;
};

}  // namespace dpp::dokploy

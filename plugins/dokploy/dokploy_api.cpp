// Dokploy procedures over one keep-alive session, with retries, deadlines and cancellation.
#include "dokploy_api.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include "json_util.hpp"

namespace dpp::dokploy {
namespace {

std::string encode(const std::string& value) {
   std::string out;
   Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]%", out);
   return out;
}

// "3.2 ms": the time since `start`, to a tenth of a millisecond.
std::string ms_since(Clock::time_point start) {
   const auto tenths =
       std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count() / 100;
   return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " ms";
}

// Cleanup after a cancellation has to finish before DevPod's SIGKILL (2 s after SIGINT).
constexpr uint32_t kCleanupTimeoutMs = 1500;
// How long a write whose answer was lost may still land (see DokployApi::late_writes_until).
constexpr auto kLateWriteGrace = std::chrono::seconds(3);

}  // namespace

DokployApi::DokployApi(const Settings& settings, dpp::sdk::Host host)
    : settings_(settings),
      host_(host),
      session_(
          settings.server,
          TlsSettings{
              .host = settings.server.host, .ca_file = settings.ca_cert, .insecure = settings.tls_insecure},
          settings.connect_timeout_ms),
      backoff_(std::chrono::milliseconds(400), std::chrono::milliseconds(8000)) {
   headers_ = {{"Accept", "application/json"}, {"User-Agent", "dokploy-provider-dokploy-plugin"}};
}

void DokployApi::warn_about_transport_once() {
   if (warned_) return;
   warned_ = true;
   if (settings_.server.scheme == "https" && settings_.tls_insecure)
      host_.warn(
          "TLS CERTIFICATE VERIFICATION IS OFF (DOKPLOY_TLS_INSECURE=true): anyone on the network path to ",
          settings_.server.host,
          " can impersonate Dokploy and steal the API token. Use DOKPLOY_CA_CERT instead.");
   else if (settings_.server.scheme == "http" && !settings_.server.loopback())
      host_.warn("DOKPLOY_SERVER_URL is plain http:// to ", settings_.server.host,
                 ": the API token crosses the network UNENCRYPTED. Use https://.");
}

uint32_t DokployApi::timeout_for_next_request(const std::string& procedure) const {
   uint32_t timeout = settings_.http_timeout_ms;
   if (cleanup_) return host_.cancelled() ? std::min(timeout, kCleanupTimeoutMs) : timeout;
   if (deadline_) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(*deadline_ - Clock::now()).count();
      if (left <= 0)
         throw ApiError(DPP_E_TIMEOUT, "ran out of time before " + procedure + " (" + deadline_bound_ + ")",
                        procedure, 0, "", false);
      timeout = static_cast<uint32_t>(std::min<int64_t>(timeout, std::max<int64_t>(left, 100)));
   }
   return timeout;
}

Poco::Dynamic::Var DokployApi::query(const std::string& procedure, const QueryParams& params) {
   std::string target = settings_.server.base_path + "/api/" + procedure;
   char separator = '?';
   for (const auto& [name, value] : params) {
      target += separator + encode(name) + "=" + encode(value);
      separator = '&';
   }
   return call("GET", procedure, target, "", Repeat::safe);
}

Poco::Dynamic::Var DokployApi::mutate(const std::string& procedure, const Poco::JSON::Object& body,
                                      Repeat repeat) {
   return call("POST", procedure, settings_.server.base_path + "/api/" + procedure, json::write(body),
               repeat);
}

dpp_status DokployApi::health(std::string& detail) {
   warn_about_transport_once();
   const auto started = Clock::now();
   try {
      const HttpResponse response =
          session_.exchange("GET", settings_.server.base_path + "/api/health", "", headers_, nullptr,
                            std::min<uint32_t>(settings_.http_timeout_ms, 10'000), "health");
      host_.debug("GET health -> ", response.status, " in ", ms_since(started));
      if (response.status != 200) {
         detail = settings_.server.text + "/api/health answered HTTP " + std::to_string(response.status) +
                  " instead of Dokploy's {\"ok\":true}";
         if (response.status >= 500) return DPP_E_REMOTE;
         detail += ": is this the address of Dokploy's web interface?";
         return response.status == 404 ? DPP_E_NOT_FOUND : DPP_E_PROTOCOL;
      }
      json::Object answer;
      try {
         answer = json::as_object(json::parse(response.body));
      } catch (const Poco::Exception&) {
      }
      if (!answer || !json::flag(answer, "ok")) {
         detail = settings_.server.text + "/api/health answered 200 but not {\"ok\":true}: is this Dokploy?";
         return DPP_E_PROTOCOL;
      }
      detail = "Dokploy answers at " + settings_.server.text + " (" + ms_since(started) + ")";
      return DPP_OK;
   } catch (const TransportFailure& failure) {
      detail = failure.what();
      return failure.status();
   }
}

bool DokployApi::wait_for_late_writes() {
   if (!late_writes_until_ || Clock::now() >= *late_writes_until_) return false;
   auto until = *late_writes_until_;
   if (deadline_ && !cleanup_) until = std::min(until, *deadline_);
   const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
   if (left.count() > 0 && !sleep_unless_cancelled(host_, left))
      throw ApiError(DPP_E_CANCELLED, "cancelled by the user", "", 0, "", false);
   return true;
}

Poco::Dynamic::Var DokployApi::call(const std::string& method, const std::string& procedure,
                                    const std::string& target, const std::string& body, Repeat repeat) {
   warn_about_transport_once();
   // Cleanup after a cancellation gets one quick try; after a failure it may retry as usual.
   const uint32_t max_attempts = cleanup_ && host_.cancelled() ? 1 : settings_.http_retries + 1;
   bool stale_retry_used = false;
   for (uint32_t attempt = 1;; ++attempt) {
      if (!cleanup_ && host_.cancelled())
         throw ApiError(DPP_E_CANCELLED, "cancelled by the user before " + procedure, procedure, 0, "",
                        false);
      const uint32_t timeout = timeout_for_next_request(procedure);
      const auto started = Clock::now();
      std::optional<std::chrono::milliseconds> pause;
      std::string why;
      try {
         HttpResponse response =
             session_.exchange(method, target, body, headers_, &settings_.token, timeout, procedure);
         host_.debug(method, " ", procedure, " -> ", response.status, " in ", ms_since(started));
         if (response.status >= 200 && response.status < 300) {
            if (response.body.empty()) return Poco::Dynamic::Var();
            try {
               return json::parse(response.body);
            } catch (const Poco::Exception&) {
               throw ApiError(
                   DPP_E_PROTOCOL,
                   "Dokploy answered " + procedure + " with HTTP " + std::to_string(response.status) +
                       " and a body that is not valid JSON (" + std::to_string(response.body.size()) +
                       " bytes" + (response.content_type.empty() ? "" : ", " + response.content_type) +
                       "): is " + settings_.server.text + " really Dokploy, or is a proxy in the way?",
                   procedure, response.status, "", repeat == Repeat::once && method == "POST");
            }
         }
         // 429 and 503 say the request was refused, not executed: any request may come again.
         // Other 5xx on a write leave its outcome unknown: only reads and safe writes repeat.
         const bool refused = response.status == 429 || response.status == 503;
         const bool server_error = response.status >= 500;
         const bool retryable = refused || (server_error && repeat == Repeat::safe);
         ApiError error =
             http_error(procedure, response.status, redact(response.body, settings_.token),
                        response.content_type, server_error && !refused && repeat == Repeat::once);
         if (!retryable || attempt >= max_attempts) {
            if (attempt > 1)
               throw ApiError(error.status(),
                              std::string(error.what()) + " (after " + std::to_string(attempt) + " attempts)",
                              procedure, error.http_status(), error.dokploy_message(), error.uncertain());
            throw error;
         }
         if (response.retry_after) pause = parse_retry_after(*response.retry_after);
         why = "HTTP " + std::to_string(response.status);
      } catch (const TransportFailure& failure) {
         if (method == "POST" && failure.reached_server())
            late_writes_until_ = Clock::now() + kLateWriteGrace;
         const bool may_repeat =
             !failure.permanent() && (repeat == Repeat::safe || !failure.reached_server());
         if (!may_repeat || attempt >= max_attempts) {
            const std::string suffix = attempt > 1 ? " (after " + std::to_string(attempt) + " attempts)" : "";
            throw ApiError(failure.status(), redact(failure.what(), settings_.token) + suffix, procedure, 0,
                           "", repeat == Repeat::once && failure.reached_server());
         }
         if (!failure.reached_server() && !stale_retry_used && failure.status() == DPP_E_CONNECTION_LOST) {
            // A kept-alive connection the server had closed: reconnect at once.
            stale_retry_used = true;
            pause = std::chrono::milliseconds(0);
         }
         why = failure.what();
      }
      if (!pause) pause = backoff_.delay(attempt);
      if (deadline_ && !cleanup_ && Clock::now() + *pause >= *deadline_)
         throw ApiError(DPP_E_TIMEOUT,
                        "Dokploy " + procedure + " kept failing (" + why + ") and the time ran out (" +
                            deadline_bound_ + ")",
                        procedure, 0, "", repeat == Repeat::once);
      host_.debug(procedure, " failed (", why, "); attempt ", attempt + 1, " of ", max_attempts, " in ",
                  pause->count(), " ms");
      if (!sleep_unless_cancelled(host_, *pause))
         throw ApiError(DPP_E_CANCELLED, "cancelled by the user while retrying " + procedure, procedure, 0,
                        "", false);
   }
}

}  // namespace dpp::dokploy

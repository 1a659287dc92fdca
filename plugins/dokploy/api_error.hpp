// A failed Dokploy request as the backend reports it: a dpp status, one message that names the
// procedure, the HTTP status and Dokploy's own words, and whether a write may have happened.
#pragma once

#include <dpp/cpp/plugin.hpp>

#include <string>

namespace dpp::dokploy {

class ApiError : public dpp::sdk::Error {
 public:
   ApiError(dpp_status status, const std::string& message, std::string procedure, int http_status,
            std::string dokploy_message, bool uncertain)
       : dpp::sdk::Error(status, message),
         procedure_(std::move(procedure)),
         http_status_(http_status),
         dokploy_message_(std::move(dokploy_message)),
         uncertain_(uncertain) {}

   const std::string& procedure() const { return procedure_; }
   // 0 when no HTTP answer came.
   int http_status() const { return http_status_; }
   // Dokploy's "message" ("Compose not found"), or "" when it gave none.
   const std::string& dokploy_message() const { return dokploy_message_; }
   // A write that failed in a way that does not tell whether Dokploy applied it (lost answer, 5xx):
   // look before doing it again.
   bool uncertain() const { return uncertain_; }
   bool not_found() const { return http_status_ == 404; }

 private:
   std::string procedure_;
   int http_status_;
   std::string dokploy_message_;
   bool uncertain_;
};

// Builds the error for an HTTP answer outside 2xx. `body` is Dokploy's (tRPC) error body, or
// whatever a proxy answered instead.
ApiError http_error(const std::string& procedure, int http_status, const std::string& body,
                    const std::string& content_type, bool uncertain);

// Removes `secret` from `text` wherever it appears (a last line of defence for messages that
// quote a server's answer).
std::string redact(std::string text, const std::string& secret);

}  // namespace dpp::dokploy

// One keep-alive HTTP(S) connection to Dokploy: sends a request, reads the whole answer, and
// classifies every transport failure (connect, TLS, timeout, lost connection) for the retry logic.
#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SSLException.h>

#include <cstdint>
#include <exception>
#include <istream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <dpp/status.h>

#include "plugin_options.hpp"
#include "tls_context.hpp"

namespace dpp::dokploy {

struct HttpResponse {
   int status = 0;
   std::string body;
   std::string content_type;
   std::optional<std::string> retry_after;
};

// What went wrong with a request that got no HTTP answer, for advice that depends on it.
enum class TransportFailureKind {
   resolve,           // the server's host name does not resolve
   connect,           // no connection (refused, unreachable, connect timeout)
   tls_verification,  // the server's certificate is not trusted or not issued for its name
   tls_handshake,     // the TLS handshake failed otherwise
   timeout,           // no answer within the read timeout
   connection_lost,   // the connection broke with the request in flight
   oversized_answer,  // an answer too large to be Dokploy's
};

// A request that got no HTTP answer.
class TransportFailure : public std::runtime_error {
 public:
   TransportFailure(TransportFailureKind kind, dpp_status status, const std::string& message,
                    bool reached_server, bool permanent)
       : std::runtime_error(message),
         kind_(kind),
         status_(status),
         reached_server_(reached_server),
         permanent_(permanent) {}
   TransportFailureKind kind() const { return kind_; }
   // DPP_E_CONNECT, DPP_E_TIMEOUT, DPP_E_CONNECTION_LOST or DPP_E_PROTOCOL.
   dpp_status status() const { return status_; }
   // False when the server certainly did not process the request (it may be sent again whatever
   // it does); true when it may have.
   bool reached_server() const { return reached_server_; }
   // A TLS verification failure or a bad address: retrying cannot help.
   bool permanent() const { return permanent_; }

 private:
   TransportFailureKind kind_;
   dpp_status status_;
   bool reached_server_;
   bool permanent_;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

class HttpSession {
 public:
   HttpSession(const ServerUrl& server, const TlsSettings& tls, uint32_t connect_timeout_ms);
   ~HttpSession();
   HttpSession(const HttpSession&) = delete;
   HttpSession& operator=(const HttpSession&) = delete;

   // Sends `method target` (target: path and query) with `body` (sent as JSON when not empty,
   // or for POST) and returns the answer. `api_key`, when not null, goes into the x-api-key
   // header. Throws TransportFailure. `label` names the request in messages ("compose.one").
   HttpResponse exchange(const std::string& method, const std::string& target, const std::string& body,
                         const HeaderList& headers, const std::string* api_key, uint32_t read_timeout_ms,
                         const std::string& label);

   // Drops the connection (the next exchange reconnects).
   void reset();

 private:
   // How far an exchange got when it failed: what may be retried depends on it.
   enum class Phase { send, receive, reading };

   // exchange()'s steps.
   void send_request(const std::string& method, const std::string& target, const std::string& body,
                     const HeaderList& headers, const std::string* api_key);
   HttpResponse read_answer(const Poco::Net::HTTPResponse& response, std::istream& in,
                            const std::string& label);
   // The TransportFailure for the exception that ended an exchange (and the connection); any other
   // exception than Poco's and the stream's is thrown again as it is.
   TransportFailure failure_of(std::exception_ptr error, Phase phase, bool fresh, uint32_t read_timeout_ms,
                               const std::string& label);
   TransportFailure tls_failure(const Poco::Net::SSLException& e, Phase phase, bool fresh);
   TransportFailure unresolved(const Poco::Exception& e);
   TransportFailure network_failure(const Poco::Exception& e, Phase phase, bool fresh,
                                    const std::string& label);

   ServerUrl server_;
   std::string origin_;
   uint32_t connect_timeout_ms_;
   std::unique_ptr<Poco::Net::HTTPClientSession> session_;
};

}  // namespace dpp::dokploy

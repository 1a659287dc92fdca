// One keep-alive HTTP(S) connection to Dokploy and the classification of its failures.
#include "http_session.hpp"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Timespan.h>

#include <exception>
#include <istream>
#include <ostream>

namespace dpp::dokploy {
namespace {

// An answer larger than this is not Dokploy (project.all with thousands of services is a few MB).
constexpr std::size_t kMaxBody = 64u << 20;
// Node's HTTP server closes idle keep-alive connections after 5 s; reconnect before that instead
// of discovering a closed connection with a request in flight.
constexpr int kKeepAliveSeconds = 4;

Poco::Timespan millis(uint32_t ms) {
   return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms) * 1000);
}

std::string seconds_text(uint32_t ms) {
   const uint32_t tenths = (ms + 50) / 100;
   return std::to_string(tenths / 10) + (tenths % 10 ? "." + std::to_string(tenths % 10) : "") + " s";
}

}  // namespace

HttpSession::HttpSession(const ServerUrl& server, const TlsSettings& tls, uint32_t connect_timeout_ms)
    : server_(server), connect_timeout_ms_(connect_timeout_ms) {
   origin_ = server_.scheme + "://" +
             (server_.host.find(':') != std::string::npos ? "[" + server_.host + "]" : server_.host) + ":" +
             std::to_string(server_.port);
   if (server_.scheme == "https")
      session_ =
          std::make_unique<Poco::Net::HTTPSClientSession>(server_.host, server_.port, make_tls_context(tls));
   else
      session_ = std::make_unique<Poco::Net::HTTPClientSession>(server_.host, server_.port);
   session_->setKeepAlive(true);
   session_->setKeepAliveTimeout(Poco::Timespan(kKeepAliveSeconds, 0));
}

HttpSession::~HttpSession() = default;

void HttpSession::reset() {
   try {
      session_->reset();
   } catch (...) {
      // Closing a broken socket may fail again; the next request reconnects either way.
   }
}

HttpResponse HttpSession::exchange(const std::string& method, const std::string& target,
                                   const std::string& body, const HeaderList& headers,
                                   const std::string* api_key, uint32_t read_timeout_ms,
                                   const std::string& label) {
   const bool fresh = !session_->connected();
   Phase phase = Phase::send;
   take_tls_verify_error();
   session_->setTimeout(millis(connect_timeout_ms_), millis(read_timeout_ms), millis(read_timeout_ms));
   try {
      send_request(method, target, body, headers, api_key);
      phase = Phase::receive;
      Poco::Net::HTTPResponse response;
      std::istream& in = session_->receiveResponse(response);
      phase = Phase::reading;
      return read_answer(response, in, label);
   } catch (const TransportFailure&) {
      throw;
   } catch (...) {
      throw failure_of(std::current_exception(), phase, fresh, read_timeout_ms, label);
   }
}

void HttpSession::send_request(const std::string& method, const std::string& target, const std::string& body,
                               const HeaderList& headers, const std::string* api_key) {
   Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
   request.setKeepAlive(true);
   for (const auto& [name, value] : headers) request.set(name, value);
   if (api_key) request.set("x-api-key", *api_key);
   const bool with_body = !body.empty() || method == "POST";
   if (with_body) {
      request.setContentType("application/json");
      request.setContentLength(static_cast<std::streamsize>(body.size()));
   }
   std::ostream& out = session_->sendRequest(request);
   // The headers went out in one segment; without this the body would wait for their ACK
   // (Nagle + delayed ACK: 40 ms per request).
   session_->socket().setNoDelay(true);
   if (with_body) out.write(body.data(), static_cast<std::streamsize>(body.size()));
}

HttpResponse HttpSession::read_answer(const Poco::Net::HTTPResponse& response, std::istream& in,
                                      const std::string& label) {
   HttpResponse result;
   result.status = static_cast<int>(response.getStatus());
   result.content_type = response.getContentType();
   if (response.has("Retry-After")) result.retry_after = response.get("Retry-After");
   char buffer[16384];
   while (in) {
      in.read(buffer, sizeof buffer);
      result.body.append(buffer, static_cast<std::size_t>(in.gcount()));
      if (result.body.size() > kMaxBody) {
         reset();
         throw TransportFailure(TransportFailureKind::oversized_answer, DPP_E_PROTOCOL,
                                "Dokploy's answer to " + label + " is larger than 64 MiB", true, true);
      }
   }
   if (in.bad()) throw Poco::Net::NetException("the answer ended early");
   if (response.hasContentLength() && response.getContentLength64() >= 0 &&
       static_cast<std::size_t>(response.getContentLength64()) != result.body.size())
      throw Poco::Net::NetException("the answer ended after " + std::to_string(result.body.size()) + " of " +
                                    std::to_string(response.getContentLength64()) + " bytes");
   return result;
}

TransportFailure HttpSession::failure_of(std::exception_ptr error, Phase phase, bool fresh,
                                         uint32_t read_timeout_ms, const std::string& label) {
   // Anything else than these goes on as it came, the connection untouched.
   try {
      std::rethrow_exception(error);
   } catch (const Poco::Net::SSLException& e) {
      reset();
      return tls_failure(e, phase, fresh);
   } catch (const Poco::TimeoutException&) {
      reset();
      if (phase == Phase::send && fresh)
         return TransportFailure(TransportFailureKind::connect, DPP_E_CONNECT,
                                 "cannot connect to " + origin_ + " within " +
                                     seconds_text(connect_timeout_ms_) + " (DOKPLOY_CONNECT_TIMEOUT)",
                                 false, false);
      return TransportFailure(TransportFailureKind::timeout, DPP_E_TIMEOUT,
                              "Dokploy did not answer " + label + " within " + seconds_text(read_timeout_ms) +
                                  " (DOKPLOY_HTTP_TIMEOUT)",
                              true, false);
   } catch (const Poco::Net::HostNotFoundException& e) {
      reset();
      return unresolved(e);
   } catch (const Poco::Net::NoAddressFoundException& e) {
      reset();
      return unresolved(e);
   } catch (const Poco::Net::ConnectionRefusedException&) {
      reset();
      return TransportFailure(TransportFailureKind::connect, DPP_E_CONNECT,
                              "cannot connect to " + origin_ + ": connection refused", false, false);
   } catch (const Poco::Exception& e) {
      reset();
      return network_failure(e, phase, fresh, label);
   } catch (const std::ios_base::failure& e) {
      reset();
      return TransportFailure(
          TransportFailureKind::connection_lost, DPP_E_CONNECTION_LOST,
          "the connection to " + origin_ + " broke during " + label + " (" + e.what() + ")",
          phase != Phase::send, false);
   }
}

TransportFailure HttpSession::tls_failure(const Poco::Net::SSLException& e, Phase phase, bool fresh) {
   const std::string reason = take_tls_verify_error();
   if (!reason.empty() || dynamic_cast<const Poco::Net::CertificateValidationException*>(&e))
      return TransportFailure(
          TransportFailureKind::tls_verification, DPP_E_CONNECT,
          "TLS verification of " + origin_ + " failed (" + (reason.empty() ? e.displayText() : reason) +
              "): the certificate is not signed by a trusted CA or not issued for " + server_.host +
              ". Set DOKPLOY_CA_CERT to the PEM file of the CA that signed it (or fix the URL's host)",
          false, true);
   return TransportFailure(TransportFailureKind::tls_handshake, DPP_E_CONNECT,
                           "TLS handshake with " + origin_ + " failed: " + e.displayText(),
                           phase != Phase::send || !fresh, false);
}

TransportFailure HttpSession::unresolved(const Poco::Exception& e) {
   return TransportFailure(TransportFailureKind::resolve, DPP_E_CONNECT,
                           "cannot resolve " + server_.host + ": " + e.displayText(), false, false);
}

TransportFailure HttpSession::network_failure(const Poco::Exception& e, Phase phase, bool fresh,
                                              const std::string& label) {
   // A kept-alive connection the server had already closed fails before any answer arrives;
   // the server never saw the request, so it is safe to send again (what browsers do).
   const bool stale = !fresh && phase != Phase::reading &&
                      (dynamic_cast<const Poco::Net::NoMessageException*>(&e) ||
                       dynamic_cast<const Poco::Net::ConnectionResetException*>(&e) ||
                       dynamic_cast<const Poco::Net::ConnectionAbortedException*>(&e));
   if (phase == Phase::send && fresh)
      return TransportFailure(TransportFailureKind::connect, DPP_E_CONNECT,
                              "cannot connect to " + origin_ + ": " + e.displayText(), false, false);
   return TransportFailure(
       TransportFailureKind::connection_lost, DPP_E_CONNECTION_LOST,
       "the connection to " + origin_ + " broke during " + label + " (" + e.displayText() + ")", !stale,
       false);
}

}  // namespace dpp::dokploy

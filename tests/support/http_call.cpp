// One HTTP(S) request with Poco.
#include "support/http_call.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/URI.h>

#include <memory>
#include <sstream>

namespace dpp::test {

HttpAnswer http_call(const HttpRequest& call) {
   const Poco::URI uri(call.base_url);
   std::unique_ptr<Poco::Net::HTTPClientSession> session;
   if (uri.getScheme() == "https") {
      Poco::Net::Context::Ptr context = new Poco::Net::Context(
          Poco::Net::Context::TLS_CLIENT_USE, "", "", call.ca_file, Poco::Net::Context::VERIFY_STRICT);
      session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), context);
   } else {
      session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
   }
   session->setTimeout(Poco::Timespan(call.timeout_seconds, 0));
   Poco::Net::HTTPRequest request(call.method, call.path_and_query, Poco::Net::HTTPMessage::HTTP_1_1);
   for (const auto& [name, value] : call.headers) request.set(name, value);
   if (!call.body.empty()) {
      request.setContentType("application/json");
      request.setContentLength(static_cast<std::streamsize>(call.body.size()));
   }
   session->sendRequest(request) << call.body;
   Poco::Net::HTTPResponse response;
   std::istream& stream = session->receiveResponse(response);
   std::stringstream text;
   text << stream.rdbuf();
   return {static_cast<int>(response.getStatus()), text.str()};
}

}  // namespace dpp::test

// One HTTP(S) request from a test to a local server (the emulator, a real Dokploy): the status
// and body of the answer. TLS is verified against `ca_file` when one is given.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace dpp::test {

struct HttpRequest {
   std::string base_url;  // "http://127.0.0.1:3000" (scheme, host, port)
   std::string method = "GET";
   std::string path_and_query;  // "/api/project.all"
   std::vector<std::pair<std::string, std::string>> headers;
   std::string body;     // sent as application/json when not empty
   std::string ca_file;  // HTTPS only: the CA to verify the server against
   int timeout_seconds = 60;
};

struct HttpAnswer {
   int status = 0;
   std::string body;
};

// Throws std::runtime_error when the server cannot be reached.
HttpAnswer http_call(const HttpRequest& request);

}  // namespace dpp::test

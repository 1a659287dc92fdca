// Fuzzes the reading of Dokploy's error answers (plugins/dokploy/api_error): tRPC error JSON, a
// proxy's HTML page, or anything else, with any HTTP status. Never throws; the message names the
// procedure and the status, holds no NUL or terminal control bytes from the body except what
// Dokploy's own JSON message carries, and the excerpt of a non-JSON body stays short.
#include <cstddef>
#include <cstdint>
#include <string>

#include "api_error.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
   using dpp::fuzz::shown;
   if (size < 3) return -1;
   const int status = 400 + (data[0] | (data[1] << 8)) % 200;
   const bool uncertain = data[2] & 1;
   const std::string content_type = (data[2] & 2) ? "application/json" : "text/html";
   const std::string body(reinterpret_cast<const char*>(data + 3), size - 3);

   const dpp::dokploy::ApiError error =
       dpp::dokploy::http_error("compose.one", status, body, content_type, uncertain);
   const std::string message = error.what();
   FUZZ_CHECK(message.find("compose.one") != std::string::npos, "the procedure is not named: " + shown(message));
   FUZZ_CHECK(error.http_status() == status, "status " + std::to_string(error.http_status()));
   FUZZ_CHECK(error.status() < 0, "not an error status");
   if (message.find("a non-JSON answer") != std::string::npos)
      for (char c : message)
         FUZZ_CHECK(c == '\t' || static_cast<unsigned char>(c) >= 0x20, "raw control byte from an HTML body: " + shown(message));

   const std::string secret = "tok-" + std::to_string(size);
   const std::string redacted = dpp::dokploy::redact(body + secret + body, secret);
   FUZZ_CHECK(redacted.find(secret) == std::string::npos, "redaction missed the secret");
   return 0;
}

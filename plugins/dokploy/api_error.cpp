// Turns Dokploy's error answers into messages a person can act on.
#include "api_error.hpp"

#include <Poco/Exception.h>

#include "json_util.hpp"

namespace dpp::dokploy {
namespace {

// A short, printable excerpt of a body that is not Dokploy's JSON (a proxy's HTML page).
std::string excerpt(const std::string& body) {
   std::string out;
   bool in_tag = false;
   for (char c : body) {
      if (c == '<') in_tag = true;
      if (!in_tag) {
         const auto byte = static_cast<unsigned char>(c);
         if (byte < 0x20 || byte == 0x7F) c = ' ';
         if (!(c == ' ' && (out.empty() || out.back() == ' '))) out += c;
      }
      if (c == '>') in_tag = false;
      if (out.size() >= 160) {
         out += "…";
         break;
      }
   }
   while (!out.empty() && out.back() == ' ') out.pop_back();
   return out;
}

// "name: Required; environmentId: Expected string, received null" from tRPC's `issues`.
std::string describe_issues(const json::Array& issues) {
   std::string out;
   int shown = 0;
   for (const json::Object& issue : json::objects(issues)) {
      if (shown == 4) {
         out += "; …";
         break;
      }
      std::string path;
      if (json::Array parts = json::array(issue, "path"))
         for (std::size_t i = 0; i < parts->size(); ++i)
            path += (path.empty() ? "" : ".") + parts->get(static_cast<unsigned>(i)).convert<std::string>();
      out += (out.empty() ? "" : "; ") + (path.empty() ? std::string() : path + ": ") +
             json::text(issue, "message");
      ++shown;
   }
   return out;
}

dpp_status status_for(int http_status) {
   switch (http_status) {
      case 401:
      case 403: return DPP_E_AUTH;
      case 404: return DPP_E_NOT_FOUND;
      case 409: return DPP_E_CONFLICT;
      case 415: return DPP_E_PROTOCOL;
      default: return DPP_E_REMOTE;
   }
}

}  // namespace

ApiError http_error(const std::string& procedure, int http_status, const std::string& body,
                    const std::string& content_type, bool uncertain) {
   std::string message;
   std::string code;
   std::string issues;
   bool json_body = false;
   if (!body.empty()) {
      try {
         if (json::Object error = json::as_object(json::parse(body))) {
            json_body = true;
            message = json::text(error, "message");
            code = json::text(error, "code");
            issues = describe_issues(json::array(error, "issues"));
         }
      } catch (const Poco::Exception&) {
         // Not JSON: a proxy or a crashed server answered; shown as an excerpt below.
      }
   }
   std::string said = message;
   if (!issues.empty() && issues != message) said += (said.empty() ? "" : ": ") + issues;
   if (!json_body && !body.empty())
      said = "a non-JSON answer (" + (content_type.empty() ? std::string("no content type") : content_type) +
             "): " + excerpt(body);
   if (said.empty()) said = "an empty answer";

   if (http_status == 401)
      return ApiError(
          DPP_E_AUTH,
          "Dokploy refused the API token (HTTP 401 on " + procedure + ": " + said +
              "). Possible causes: DOKPLOY_API_TOKEN is wrong or was deleted; the key's user "
              "belongs to no organization; the key has expired; a proxy in front of Dokploy drops "
              "the x-api-key header. Create a key in Dokploy under Settings > Profile > API/CLI "
              "and set DOKPLOY_API_TOKEN to it",
          procedure, http_status, message, false);
   if (http_status == 403)
      return ApiError(
          DPP_E_AUTH,
          "Dokploy denied " + procedure + " (HTTP 403: " + said +
              "): the API key's user lacks the permission; use a key of an owner or admin, or grant "
              "the user access to the project",
          procedure, http_status, message, false);
   const std::string shown_code = code.empty() ? "" : " " + code;
   return ApiError(
       status_for(http_status),
       "Dokploy " + procedure + " failed with HTTP " + std::to_string(http_status) + shown_code + ": " + said,
       procedure, http_status, message, uncertain);
}

std::string redact(std::string text, const std::string& secret) {
   if (secret.size() < 4) return text;
   for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at))
      text.replace(at, secret.size(), "<redacted>");
   return text;
}

}  // namespace dpp::dokploy

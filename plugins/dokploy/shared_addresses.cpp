// domain.* procedures for the shared ports of a workspace (apps/dokploy/server/api/routers/domain.ts).
#include "shared_addresses.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "compose_file.hpp"

namespace dpp::dokploy {
namespace {

using dpp::sdk::Error;

// Dokploy cuts the name part of a generated host to 40 characters (v0.26 and later).
constexpr std::size_t kGeneratedNameLength = 40;
// What `init` has Dokploy generate a name for, to see which IP address names would carry.
constexpr const char* kProbeLabel = "check";

std::string lower(std::string text) {
   std::transform(text.begin(), text.end(), text.begin(),
                  [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
   return text;
}

bool hex(std::string_view text) {
   return std::all_of(text.begin(), text.end(),
                      [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

// The server address in a host Dokploy generated for `label`, "<label>-<6 hex>[-<ip, '-' for '.'
// and ':'>].traefik.me" (up to v0.29) or "….sslip.io" (later), the label cut to 40 characters from
// v0.26: "1-2-3-4", "" when it carries none, nullopt when the host was not generated for `label`.
std::optional<std::string> generated_ip(const std::string& host, const std::string& label) {
   for (const std::string& name : {label, label.substr(0, kGeneratedNameLength)}) {
      const std::size_t hash = name.size() + 1;
      if (host.size() <= hash + 6 || host.compare(0, name.size(), name) != 0 || host[name.size()] != '-' ||
          !hex(std::string_view(host).substr(hash, 6)))
         continue;
      if (host[hash + 6] == '.') return "";
      if (host[hash + 6] == '-') return host.substr(hash + 7, host.find('.', hash + 7) - hash - 7);
   }
   return std::nullopt;
}

bool owns(const PlannedAddress& planned, const json::Object& domain) {
   const std::string host = lower(json::text(domain, "host"));
   return planned.host ? host == *planned.host : generated_ip(host, planned.label).has_value();
}

std::string id_of(const json::Object& domain) {
   return json::text(domain, "domainId");
}

std::string describe(const json::Object& domain) {
   return json::text(domain, "host") + " (port " + json::text(domain, "port") + ")";
}

}  // namespace

std::string SharedAddresses::generation_ip(const std::string& server_id) {
   // domain.canGenerateTraefikMeDomains would say, but it needs a serverId: Dokploy's OpenAPI
   // adapter drops an empty one (400 on v0.30.2) and the Dokploy host itself has none. The IP of
   // a name generated for nothing tells the same, for both.
   return ip_of(generate(server_id, kProbeLabel), kProbeLabel);
}

void SharedAddresses::check_forward_auth(const ServiceView& view,
                                         const std::function<const Features&()>& features) const {
   if (!sharing_.forward_auth || !sharing_.enabled()) return;
   if (view.kind == ServiceKind::compose)
      throw Error(DPP_E_CONFIG,
                  "'" + view.name +
                      "' is a compose service, and Dokploy puts forward auth only in front of "
                      "application domains: its shared ports would be public. Delete the "
                      "workspace and create it with DOKPLOY_SERVICE_TYPE=application, or unset " +
                      std::string(kOptExposeForwardAuth));
   if (!features().domain_forward_auth)
      throw Error(DPP_E_VERSION, "Dokploy " + features().version.text() +
                                     " has no forward auth for domains (forwardAuthEnabled arrived in "
                                     "v0.29.14 at the latest); upgrade Dokploy or unset " +
                                     std::string(kOptExposeForwardAuth));
}

SharedAddresses::Outcome SharedAddresses::converge(const ServiceView& view, const std::string& machine_id,
                                                   const std::function<const Features&()>& features) {
   const std::vector<PlannedAddress> planned = plan_addresses(sharing_, machine_id);
   check_forward_auth(view, features);
   std::vector<json::Object> existing = json::objects(json::array(view.row, "domains"));
   // Each planned address takes the domain that carries its host, one on the same port first.
   std::vector<json::Object> matched(planned.size());
   for (const bool same_port : {true, false})
      for (std::size_t i = 0; i < planned.size(); ++i)
         for (json::Object& domain : existing)
            if (!matched[i] && domain && owns(planned[i], domain) &&
                (!same_port || json::text(domain, "port") == std::to_string(planned[i].port.port))) {
               matched[i] = domain;
               domain = nullptr;
            }

   Outcome out;
   // Deleted first, so that a host moving to another port never meets itself.
   for (const json::Object& domain : existing)
      if (domain) {
         remove(domain, view, std::string("no port in ") + kOptExposePorts + " asks for it");
         out.changed = true;
      }
   for (std::size_t i = 0; i < planned.size(); ++i) {
      const PlannedAddress& wanted = planned[i];
      json::Object domain = matched[i];
      if (domain && differs(domain, view, wanted.port.port)) {
         update(domain, view, wanted.port.port);
         out.changed = true;
      } else if (!domain) {
         domain =
             create(view, wanted.host ? *wanted.host : generated_host(view, wanted.label), wanted.port.port);
         out.changed = true;
      }
      const std::string host = json::text(domain, "host");
      out.addresses.push_back(SharedAddress{wanted.port.name, wanted.port.port, host,
                                            address_url(host, sharing_.https()), id_of(domain)});
   }
   return out;
}

bool SharedAddresses::differs(const json::Object& domain, const ServiceView& view, uint16_t port) const {
   const std::string path = json::text(domain, "path");
   const bool compose = view.kind == ServiceKind::compose;
   return json::text(domain, "port") != std::to_string(port) ||
          json::flag(domain, "https") != sharing_.https() ||
          json::text(domain, "certificateType") != sharing_.certificate_type() ||
          (sharing_.tls == AddressTls::custom &&
           json::text(domain, "customCertResolver") != sharing_.cert_resolver) ||
          (!path.empty() && path != "/") ||
          (compose && (json::text(domain, "serviceName") != kComposeServiceName ||
                       json::text(domain, "domainType") != "compose")) ||
          (sharing_.forward_auth && !json::flag(domain, "forwardAuthEnabled")) ||
          (json::has(domain, "enabled") && !json::flag(domain, "enabled"));
}

void SharedAddresses::write_common(Poco::JSON::Object& body, const ServiceView& view, uint16_t port) const {
   body.set("path", "/");
   body.set("port", static_cast<int>(port));
   body.set("https", sharing_.https());
   body.set("certificateType", sharing_.certificate_type());
   if (sharing_.tls == AddressTls::custom) body.set("customCertResolver", sharing_.cert_resolver);
   if (view.kind == ServiceKind::compose) {
      // Dokploy adds the Traefik labels to this service of the compose file at deploy time.
      body.set("serviceName", kComposeServiceName);
      body.set("domainType", "compose");
   } else {
      body.set("domainType", "application");
   }
   // Only when asked: a server without the column would drop the key, and `false` changes nothing.
   if (sharing_.forward_auth) body.set("forwardAuthEnabled", true);
}

json::Object SharedAddresses::create(const ServiceView& view, const std::string& host, uint16_t port) {
   Poco::JSON::Object body = json::body();
   body.set("host", host);
   write_common(body, view, port);
   body.set(view.kind == ServiceKind::compose ? "composeId" : "applicationId", view.id);
   const json::Object domain = json::as_object(api_.mutate("domain.create", body, Repeat::once));
   if (!domain || id_of(domain).empty())
      throw Error(DPP_E_PROTOCOL, "Dokploy answered domain.create for " + host + " without a domainId");
   if (sharing_.forward_auth && !json::flag(domain, "forwardAuthEnabled")) {
      // A server that does not know the column stored the domain without the protection.
      remove(domain, view, "it has no forward auth");
      throw Error(DPP_E_VERSION, "Dokploy stored the domain " + host + " without forward auth (its domains " +
                                     "have no forwardAuthEnabled); upgrade Dokploy or unset " +
                                     std::string(kOptExposeForwardAuth));
   }
   api_.host().info("made the domain ", host, " for port ", port, " of ", view.name);
   return domain;
}

void SharedAddresses::update(const json::Object& domain, const ServiceView& view, uint16_t port) {
   Poco::JSON::Object body = json::body();
   body.set("domainId", id_of(domain));
   body.set("host", json::text(domain, "host"));
   write_common(body, view, port);
   if (sharing_.tls != AddressTls::custom) body.set("customCertResolver", json::null());
   if (json::has(domain, "enabled")) body.set("enabled", true);
   api_.mutate("domain.update", body, Repeat::safe);
   api_.host().info(
       "changed the domain ", describe(domain), " of ", view.name, " to port ", port,
       sharing_.https() ? " over HTTPS (" + sharing_.certificate_type() + ")" : " over plain HTTP");
}

void SharedAddresses::remove(const json::Object& domain, const ServiceView& view, const std::string& why) {
   Poco::JSON::Object body = json::body();
   body.set("domainId", id_of(domain));
   try {
      api_.mutate("domain.delete", body, Repeat::safe);
   } catch (const ApiError& e) {
      if (!e.not_found()) throw;  // gone already
   }
   api_.host().info("deleted the domain ", describe(domain), " of ", view.name, ": ", why);
}

std::string SharedAddresses::generate(const std::string& server_id, const std::string& label) {
   Poco::JSON::Object body = json::body();
   body.set("appName", label);
   if (!server_id.empty()) body.set("serverId", server_id);
   // It only computes a name (a random part included): asking again is harmless.
   const Poco::Dynamic::Var answer = api_.mutate("domain.generateDomain", body, Repeat::safe);
   const std::string host = answer.isString() ? lower(answer.extract<std::string>()) : "";
   std::string why;
   if (!valid_host_name(host, &why))
      throw Error(DPP_E_PROTOCOL, "Dokploy generated '" + host + "' for port label " + label +
                                      ", which is not a host name (" + why + "); set " + kOptExposeDomain +
                                      " or shorten the port's name in " + kOptExposePorts);
   return host;
}

std::string SharedAddresses::ip_of(const std::string& host, const std::string& label) {
   // A name without an IP, or with the loopback one Dokploy falls back to when it knows none,
   // reaches nobody else.
   const std::string ip = generated_ip(host, label).value_or("");
   return ip == "127-0-0-1" ? "" : ip;
}

std::string SharedAddresses::generated_host(const ServiceView& view, const std::string& label) {
   const std::string host = generate(view.server_id, label);
   if (ip_of(host, label).empty())
      throw Error(DPP_E_CONFIG,
                  std::string(kOptExposeDomain) +
                      " is empty and Dokploy cannot generate addresses others reach: " +
                      "it knows no IP address for " +
                      (view.server_id.empty() ? "its own server (Settings > Web Server > Server IP)"
                                              : "server " + view.server_id) +
                      " and made '" + host + "'. Set " + kOptExposeDomain +
                      " to a wildcard domain that points at the server");
   return host;
}

}  // namespace dpp::dokploy

// A workspace service's Dokploy domains made to match DOKPLOY_EXPOSE_*: one domain per shared
// port, created, changed or deleted as the options change. The provider owns every domain of its
// workspace services (as it owns their compose file), so a domain no shared port asks for goes.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "dokploy_api.hpp"
#include "dokploy_version.hpp"
#include "service_driver.hpp"
#include "shared_ports.hpp"

namespace dpp::dokploy {

class SharedAddresses {
 public:
   SharedAddresses(DokployApi& api, const SharingSettings& sharing) : api_(api), sharing_(sharing) {}

   struct Outcome {
      std::vector<SharedAddress> addresses;  // in the order of DOKPLOY_EXPOSE_PORTS
      // A domain was created, changed or deleted. Dokploy applies an application's domains at
      // once (Traefik's file provider) but a compose service's only at its next deploy, where
      // they become Traefik labels (packages/server/src/utils/builders/compose.ts,
      // writeDomainsToCompose).
      bool changed = false;
   };

   // Converges the domains of `view` (the `domains` of its <kind>.one row; none for a row just
   // created). Requests: none when nothing differs; per missing address one domain.create (and,
   // without DOKPLOY_EXPOSE_DOMAIN, one domain.generateDomain); one domain.update or
   // domain.delete per domain that differs or is not wanted. Throws Error(DPP_E_CONFIG / DPP_E_VERSION) for
   // what the options cannot have, ApiError otherwise (uncertain() when a domain.create may have happened:
   // read the service again and converge again).
   // `features` is asked only when forward auth is: `start` of an unchanged workspace must not
   // spend a request on the server's version.
   Outcome converge(const ServiceView& view, const std::string& machine_id,
                    const std::function<const Features&()>& features);

   // Whether Dokploy can generate host names others reach for a service on `server_id` ("" for
   // the Dokploy host): the IP address (with '-' for '.') they would carry, or "" when none. One
   // domain.generateDomain.
   std::string generation_ip(const std::string& server_id);

 private:
   void check_forward_auth(const ServiceView& view, const std::function<const Features&()>& features) const;
   bool differs(const json::Object& domain, const ServiceView& view, uint16_t port) const;
   void write_common(Poco::JSON::Object& body, const ServiceView& view, uint16_t port) const;
   json::Object create(const ServiceView& view, const std::string& host, uint16_t port);
   void update(const json::Object& domain, const ServiceView& view, uint16_t port);
   void remove(const json::Object& domain, const ServiceView& view, const std::string& why);
   std::string generate(const std::string& server_id, const std::string& label);
   std::string generated_host(const ServiceView& view, const std::string& label);
   static std::string ip_of(const std::string& host, const std::string& label);

   DokployApi& api_;
   const SharingSettings& sharing_;
};

}  // namespace dpp::dokploy

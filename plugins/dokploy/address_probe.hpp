// Whether a shared port's address answers, as a person's browser would find out: the name
// resolves, Traefik accepts the connection (and its certificate is trusted), and something
// behind it answers. For doctor.
#pragma once

#include <dpp/backend.h>

#include <string>

#include "plugin_options.hpp"
#include "shared_ports.hpp"

namespace dpp::dokploy {

struct ProbeReport {
   int32_t result = DPP_CHECK_PASS;  // PASS when the app answered, else WARN
   std::string message;
   std::string fix;  // "" when it passed
};

// One GET of the address's "/" (no redirects followed). Let's Encrypt certificates are verified
// against the system store, those of a custom resolver against DOKPLOY_CA_CERT when it is set;
// DOKPLOY_TLS_INSECURE turns verification off here too.
ProbeReport probe_address(const SharedAddress& address, const Settings& settings);

}  // namespace dpp::dokploy

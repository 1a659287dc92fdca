// The TLS client context for Dokploy: chain and host name verified by OpenSSL against the system
// store or DOKPLOY_CA_CERT, or (only on request) no verification at all.
#pragma once

#include <Poco/Net/Context.h>

#include <optional>
#include <string>

namespace dpp::dokploy {

struct TlsSettings {
   std::string host;                    // the name or address the certificate must be issued for
   std::optional<std::string> ca_file;  // trusted instead of the system store
   bool insecure = false;
};

// Builds the context; throws Error(DPP_E_CONFIG) when the CA file is unusable. Initialises
// OpenSSL and Poco's SSL manager on first use (see initialise_tls).
Poco::Net::Context::Ptr make_tls_context(const TlsSettings& settings);

// Poco::Net::initializeSSL() plus a certificate handler that rejects every invalid certificate,
// so that Poco never falls back to its console handler (which would prompt on stdin). Done only
// when an https:// session is made: with plain http (a Dokploy on the same host) the OpenSSL
// initialisation is a third of the CPU time of a `status` and 1.5 MiB of its memory. Idempotent.
void initialise_tls();
// Undoes initialise_tls() if it ran (the plugin's deinit).
void shutdown_tls();

// Why the last certificate verification on this thread failed ("unable to get local issuer
// certificate", "hostname mismatch"), or "" when none did; clears it.
std::string take_tls_verify_error();

// What the TLS mode means, for check() and the warning of the insecure mode.
std::string describe_tls(const TlsSettings& settings);

}  // namespace dpp::dokploy

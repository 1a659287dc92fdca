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

// Builds the context; throws Error(DPP_E_CONFIG) when the CA file is unusable.
Poco::Net::Context::Ptr make_tls_context(const TlsSettings& settings);

// Installs a certificate handler that rejects every invalid certificate, so that Poco never falls
// back to its console handler (which would prompt on stdin). Idempotent; main thread.
void install_rejecting_certificate_handler();

// Why the last certificate verification on this thread failed ("unable to get local issuer
// certificate", "hostname mismatch"), or "" when none did; clears it.
std::string take_tls_verify_error();

// What the TLS mode means, for check() and the warning of the insecure mode.
std::string describe_tls(const TlsSettings& settings);

}  // namespace dpp::dokploy

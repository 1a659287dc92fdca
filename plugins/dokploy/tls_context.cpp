// Builds Poco TLS client contexts whose verification is done by OpenSSL itself.
#include "tls_context.hpp"

#include <Poco/Net/NetSSL.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <arpa/inet.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <dpp/cpp/plugin.hpp>
#include <mutex>

namespace dpp::dokploy {
namespace {

using dpp::sdk::Error;

thread_local std::string last_verify_error;
std::once_flag tls_once;
std::atomic<bool> tls_initialised{false};

// OpenSSL's verdict stands (no prompt, no override); only its reason is kept for the message.
int record_verify_result(int ok, X509_STORE_CTX* store) {
   if (!ok) last_verify_error = X509_verify_cert_error_string(X509_STORE_CTX_get_error(store));
   return ok;
}

bool is_ip_address(const std::string& host) {
   unsigned char buffer[16];
   return inet_pton(AF_INET, host.c_str(), buffer) == 1 || inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

}  // namespace

void initialise_tls() {
   std::call_once(tls_once, [] {
      Poco::Net::initializeSSL();
      // The handler is only consulted through Poco's own verify callback, which our contexts
      // replace; installing it anyway keeps any other Poco context in the process from prompting.
      Poco::SharedPtr<Poco::Net::InvalidCertificateHandler> reject =
          new Poco::Net::RejectCertificateHandler(false);
      Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, nullptr);
      tls_initialised = true;
   });
}

void shutdown_tls() {
   if (tls_initialised.exchange(false)) Poco::Net::uninitializeSSL();
}

Poco::Net::Context::Ptr make_tls_context(const TlsSettings& settings) {
   initialise_tls();
   Poco::Net::Context::Params params;
   params.verificationMode =
       settings.insecure ? Poco::Net::Context::VERIFY_NONE : Poco::Net::Context::VERIFY_STRICT;
   params.loadDefaultCAs = !settings.insecure && !settings.ca_file;
   params.cipherList = "HIGH:!aNULL:!eNULL:!MD5:!RC4:!3DES";
   if (settings.ca_file && !settings.insecure) {
      struct stat info {};
      if (::stat(settings.ca_file->c_str(), &info) != 0)
         throw Error(DPP_E_CONFIG,
                     "DOKPLOY_CA_CERT=" + *settings.ca_file + " cannot be read: " + std::strerror(errno));
      if (!S_ISREG(info.st_mode))
         throw Error(DPP_E_CONFIG, "DOKPLOY_CA_CERT=" + *settings.ca_file + " is not a PEM file");
      params.caLocation = *settings.ca_file;
   }
   Poco::Net::Context::Ptr context;
   try {
      context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
   } catch (const Poco::Exception& e) {
      throw Error(DPP_E_CONFIG, "cannot set up TLS" +
                                    (settings.ca_file ? " with DOKPLOY_CA_CERT=" + *settings.ca_file : "") +
                                    ": " + e.displayText());
   }
   context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
   // Poco's own name check only knows DNS names and consults a process-wide handler on failure;
   // OpenSSL checks names and IP addresses (RFC 6125) during the handshake, so it does both.
   context->enableExtendedCertificateVerification(false);
   SSL_CTX* raw = context->sslContext();
   SSL_CTX_set_verify(raw, settings.insecure ? SSL_VERIFY_NONE : SSL_VERIFY_PEER, &record_verify_result);
   if (!settings.insecure) {
      X509_VERIFY_PARAM* param = SSL_CTX_get0_param(raw);
      X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      const int ok = is_ip_address(settings.host)
                         ? X509_VERIFY_PARAM_set1_ip_asc(param, settings.host.c_str())
                         : X509_VERIFY_PARAM_set1_host(param, settings.host.c_str(), 0);
      if (ok != 1) throw Error(DPP_E_CONFIG, "cannot verify TLS certificates for host " + settings.host);
   }
   return context;
}

std::string take_tls_verify_error() {
   std::string error;
   error.swap(last_verify_error);
   return error;
}

std::string describe_tls(const TlsSettings& settings) {
   if (settings.insecure) return "certificate verification is OFF (DOKPLOY_TLS_INSECURE=true)";
   if (settings.ca_file)
      return "certificate and host name verified against DOKPLOY_CA_CERT=" + *settings.ca_file;
   return "certificate and host name verified against the system CA store";
}

}  // namespace dpp::dokploy

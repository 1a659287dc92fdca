// The Dokploy backend plugin's entry: its id, options and the TLS teardown. Supports Dokploy
// v0.24.0 and newer; an older server gets a clear error, a newer one is used with v0.30.2's API.
#include <dpp/cpp/plugin.hpp>

#include "dokploy_backend.hpp"
#include "plugin_options.hpp"
#include "tls_context.hpp"

namespace {

struct DokployPlugin {
   static constexpr const char* id = "dokploy";
   static constexpr const char* version = "0.1.0";
   static constexpr const char* description =
       "Workspaces as Dokploy compose services or applications (Dokploy v0.24.0 and newer)";
   static std::span<const dpp_option_desc> options() { return dpp::dokploy::declared_options(); }
   using backend = dpp::dokploy::DokployBackend;

   // No init: OpenSSL is initialised by the first https:// session (tls_context.cpp), as a plain
   // http:// Dokploy never needs it.
   static void deinit() { dpp::dokploy::shutdown_tls(); }
};

}  // namespace

DPP_SDK_EXPORT_PLUGIN(DokployPlugin)

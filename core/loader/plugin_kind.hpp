// The three kinds of capability a plugin can offer, and their ABI factory ids.
#pragma once

#include <dpp/dpp.h>

#include <string>

namespace dpp::core {

enum class PluginKind { backend, transport, auth };

inline constexpr PluginKind kAllPluginKinds[] = {PluginKind::backend, PluginKind::transport,
                                                 PluginKind::auth};

inline const char* kind_name(PluginKind kind) {
   switch (kind) {
      case PluginKind::backend: return "backend";
      case PluginKind::transport: return "transport";
      case PluginKind::auth: return "auth";
   }
   return "?";
}

inline const char* factory_id(PluginKind kind) {
   switch (kind) {
      case PluginKind::backend: return DPP_BACKEND_FACTORY_ID;
      case PluginKind::transport: return DPP_TRANSPORT_FACTORY_ID;
      case PluginKind::auth: return DPP_AUTH_FACTORY_ID;
   }
   return "";
}

}  // namespace dpp::core

// The libssh2 transport plugin's entry: id "libssh2", its options, libssh2's global init.
#include <libssh2.h>

#include <array>
#include <dpp/cpp/plugin.hpp>
#include <span>

#include "common/ssh_transport_config.hpp"
#include "libssh2_transport.hpp"

namespace {

constexpr std::array<dpp_option_desc, 1> kOptions = {dpp::plugins::keepalive_option()};

struct Libssh2Plugin {
   static constexpr const char* id = "libssh2";
   static constexpr const char* version = "0.1.0";
   static constexpr const char* description =
       "SSH transport in process with libssh2 (default): DevPod's command stream over one SSH session";
   static std::span<const dpp_option_desc> options() { return kOptions; }
   static void init(dpp::sdk::Host) {
      if (libssh2_init(0) != 0) throw dpp::sdk::Error(DPP_E_INTERNAL, "libssh2_init failed");
   }
   static void deinit() { libssh2_exit(); }
   using transport = dpp::plugins::libssh2::Libssh2Transport;
};

}  // namespace

DPP_SDK_EXPORT_PLUGIN(Libssh2Plugin)

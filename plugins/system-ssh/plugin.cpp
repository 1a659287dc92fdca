// The system transport plugin's entry: id "system" and its options.
#include <array>
#include <dpp/cpp/plugin.hpp>
#include <span>

#include "common/ssh_transport_config.hpp"
#include "system_transport.hpp"

namespace {

using dpp::plugins::system_ssh::kOptSshProgram;
using dpp::plugins::system_ssh::kOptSshReuse;
using dpp::plugins::system_ssh::kOptSshReuseIdle;

constexpr std::array<dpp_option_desc, 4> kOptions = {
    dpp::plugins::keepalive_option(),
    dpp::sdk::option(kOptSshReuse,
                     "Share one SSH connection between command runs of a machine (OpenSSH ControlMaster), so "
                     "repeated runs skip the handshake.")
        .of_type(DPP_OPTION_BOOLEAN)
        .defaults_to("false")
        .in_group("ssh"),
    dpp::sdk::option(kOptSshReuseIdle, "How long a shared SSH connection stays open without runs.")
        .of_type(DPP_OPTION_DURATION)
        .defaults_to("10m")
        .in_group("ssh"),
    dpp::sdk::option(kOptSshProgram, "The OpenSSH client to run; empty: `ssh` found on PATH.")
        .of_type(DPP_OPTION_PATH)
        .in_group("ssh"),
};

struct SystemPlugin {
   static constexpr const char* id = "system";
   static constexpr const char* version = "0.1.0";
   static constexpr const char* description =
       "SSH transport through OpenSSH's ssh (and sshpass for passwords), given the host's descriptors "
       "directly";
   static std::span<const dpp_option_desc> options() { return kOptions; }
   using transport = dpp::plugins::system_ssh::SystemTransport;
};

}  // namespace

DPP_SDK_EXPORT_PLUGIN(SystemPlugin)

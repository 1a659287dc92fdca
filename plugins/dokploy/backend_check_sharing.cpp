// check()'s lines on shared ports: for `init`, whether the addresses can be made; for `doctor`
// with a machine, each recorded address and whether it answers.
#include "address_probe.hpp"
#include "dokploy_backend.hpp"

namespace dpp::dokploy {

using dpp::sdk::CheckReport;
using dpp::sdk::Error;

namespace {

constexpr const char* kLine = "shared ports";

std::string example_addresses(const SharingSettings& sharing) {
   std::string out;
   for (const SharedPort& port : sharing.ports) {
      const std::string host = port.name + "-<machine>." + sharing.base_domain.value_or("");
      out +=
          (out.empty() ? "" : ", ") + std::to_string(port.port) + " at " + address_url(host, sharing.https());
   }
   return out;
}

std::string port_list(const SharingSettings& sharing) {
   std::string out;
   for (const SharedPort& port : sharing.ports) out += (out.empty() ? "" : ", ") + std::to_string(port.port);
   return out;
}

}  // namespace

void DokployBackend::check_sharing(CheckReport& report) {
   const SharingSettings& sharing = settings_.sharing;
   if (sharing.enabled()) {
      const std::string exposure = sharing.forward_auth
                                       ? "; behind Dokploy's single sign-on (forward auth)"
                                       : "; public on the internet unless the app asks for a login";
      if (sharing.forward_auth && !features().domain_forward_auth) {
         report.fail(kLine,
                     "Dokploy " + features().version.text() + " has no forward auth for domains (" +
                         kOptExposeForwardAuth + ")",
                     "upgrade Dokploy, or unset " + std::string(kOptExposeForwardAuth), DPP_E_VERSION);
      } else if (sharing.base_domain) {
         report.pass(kLine, example_addresses(sharing) + exposure);
      } else {
         try {
            const std::string ip =
                SharedAddresses(*api_, sharing).generation_ip(settings_.server_id.value_or(""));
            if (ip.empty())
               report.fail(kLine,
                           std::string(kOptExposeDomain) +
                               " is empty and Dokploy knows no IP address of the server to generate "
                               "addresses others can reach with",
                           "set " + std::string(kOptExposeDomain) +
                               " to a wildcard domain whose DNS points at the server, or the server's IP "
                               "in Dokploy (Settings > Web Server)",
                           DPP_E_CONFIG);
            else
               report.pass(kLine, "Dokploy generates the addresses of ports " + port_list(sharing) +
                                      " (<name>-<machine>-<random>-" + ip + ".traefik.me or .sslip.io)" +
                                      exposure);
         } catch (const Error& e) {
            report.fail(kLine, e.what(), "check that the API key may manage domains", e.status());
         }
      }
   }
   if (host_.machine_id().empty()) return;  // init: no machine
   const std::optional<MachineRecord> record = MachineRecord::load(host_, settings_.server.text);
   if (!record || record->addresses.empty()) {
      if (sharing.enabled())
         report.warn(kLine, "no shared address is recorded for " + host_.machine_id(),
                     "`devpod up` makes them (at its create, or at the start after `devpod stop`)");
      return;
   }
   for (const SharedAddress& address : record->addresses) {
      const ProbeReport probe = probe_address(address, settings_);
      const std::string name = "shared port " + std::to_string(address.port);
      if (probe.result == DPP_CHECK_PASS)
         report.pass(name, probe.message);
      else
         report.warn(name, probe.message, probe.fix);
   }
}

}  // namespace dpp::dokploy

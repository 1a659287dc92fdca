// Which workspace ports are shared as web addresses through Dokploy's domains (DOKPLOY_EXPOSE_*),
// and the host name each one gets: `<name>-<machine>.<base>`, or one Dokploy generates. Every
// name is checked against DNS rules here, before any request reaches Dokploy.
#pragma once

#include <dpp/cpp/plugin.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dpp::dokploy {

inline constexpr const char* kOptExposePorts = "DOKPLOY_EXPOSE_PORTS";
inline constexpr const char* kOptExposeDomain = "DOKPLOY_EXPOSE_DOMAIN";
inline constexpr const char* kOptExposeHttps = "DOKPLOY_EXPOSE_HTTPS";
inline constexpr const char* kOptExposeForwardAuth = "DOKPLOY_EXPOSE_FORWARD_AUTH";

// DevPod's `devpod up` makes machine ids of at most 16 characters; a port name must leave room
// for one in the address's first label (63 characters at most).
inline constexpr std::size_t kLongestUpMachineId = 16;
inline constexpr std::size_t kMaxSharedPorts = 20;

struct SharedPort {
   std::string name;  // [a-z0-9-], "p<port>" when DOKPLOY_EXPOSE_PORTS gives none
   uint16_t port = 0;
   bool operator==(const SharedPort&) const = default;
};

// How Traefik serves the addresses: Dokploy's certificateType.
enum class AddressTls { letsencrypt, none, custom };

struct SharingSettings {
   std::vector<SharedPort> ports;           // empty: nothing is shared (the default)
   std::optional<std::string> base_domain;  // unset: Dokploy generates the host names
   AddressTls tls = AddressTls::letsencrypt;
   std::string cert_resolver;  // the Traefik certificate resolver, for AddressTls::custom
   bool forward_auth = false;

   bool enabled() const { return !ports.empty(); }
   bool https() const { return tls != AddressTls::none; }
   // "letsencrypt", "none" or "custom" (Dokploy's certificateType).
   std::string certificate_type() const;

   // Reads and checks the DOKPLOY_EXPOSE_* options; throws Error(DPP_E_CONFIG) naming the option.
   // `compose_services`: DOKPLOY_SERVICE_TYPE is compose, whose domains Dokploy cannot put
   // behind forward auth.
   static SharingSettings from(const dpp::sdk::Options& options, bool compose_services);
};

// "3000:web,8080" -> {web 3000}, {p8080 8080}; throws Error(DPP_E_CONFIG).
std::vector<SharedPort> parse_shared_ports(std::string_view text);

// "Dev.Example.com." -> "dev.example.com"; throws Error(DPP_E_CONFIG).
std::string parse_base_domain(std::string_view text);

// A shared port's first DNS label, "<name>-<machine>"; throws Error(DPP_E_CONFIG) saying how to
// fix a label DNS refuses (longer than 63 characters, a trailing '-', "xn--"-style hyphens).
std::string address_label(const SharedPort& port, std::string_view machine_id);

// What the planned addresses of a machine are called, checked before any request: the label of
// every port, and with a base domain the whole host name. Throws Error(DPP_E_CONFIG).
struct PlannedAddress {
   SharedPort port;
   std::string label;
   std::optional<std::string> host;  // "<label>.<base>"; unset when Dokploy generates it
};
std::vector<PlannedAddress> plan_addresses(const SharingSettings& sharing, std::string_view machine_id);

// A shared port as it stands in Dokploy: the address people use and the domain behind it.
struct SharedAddress {
   std::string name;
   uint16_t port = 0;
   std::string host;
   std::string url;  // "https://web-m1.dev.example.com"
   std::string domain_id;
   bool operator==(const SharedAddress&) const = default;
};

// A host name DNS accepts: labels of 1-63 of [a-z0-9-] (any case) without a leading or trailing
// '-', 253 characters at most. `why` says what is wrong when it is not.
bool valid_host_name(std::string_view host, std::string* why = nullptr);

// "https://" or "http://" plus the host.
std::string address_url(const std::string& host, bool https);

}  // namespace dpp::dokploy

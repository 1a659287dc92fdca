// The options the Dokploy backend declares, and the validated settings an instance runs with.
#pragma once

#include <dpp/cpp/plugin.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "shared_ports.hpp"

namespace dpp::dokploy {

inline constexpr const char* kOptServerUrl = "DOKPLOY_SERVER_URL";
inline constexpr const char* kOptApiToken = "DOKPLOY_API_TOKEN";
inline constexpr const char* kOptProjectName = "DOKPLOY_PROJECT_NAME";
inline constexpr const char* kOptEnvironmentName = "DOKPLOY_ENVIRONMENT_NAME";
inline constexpr const char* kOptServerId = "DOKPLOY_SERVER_ID";
inline constexpr const char* kOptServiceType = "DOKPLOY_SERVICE_TYPE";
inline constexpr const char* kOptSshHost = "DOKPLOY_SSH_HOST";
inline constexpr const char* kOptSshPortRange = "DOKPLOY_SSH_PORT_RANGE";
inline constexpr const char* kOptSshPublishMode = "DOKPLOY_SSH_PUBLISH_MODE";
inline constexpr const char* kOptDockerPrivileges = "DOKPLOY_DOCKER_PRIVILEGES";
inline constexpr const char* kOptCaCert = "DOKPLOY_CA_CERT";
inline constexpr const char* kOptTlsInsecure = "DOKPLOY_TLS_INSECURE";
inline constexpr const char* kOptHttpTimeout = "DOKPLOY_HTTP_TIMEOUT";
inline constexpr const char* kOptConnectTimeout = "DOKPLOY_CONNECT_TIMEOUT";
inline constexpr const char* kOptHttpRetries = "DOKPLOY_HTTP_RETRIES";
inline constexpr const char* kOptPollInterval = "DOKPLOY_POLL_INTERVAL";

// Every option, in the order `dokploy-provider plugins` shows them.
std::span<const dpp_option_desc> declared_options();

enum class ServiceType { compose, application };

// How a compose workspace that runs its own Docker gets the privileges for it.
enum class DockerPrivileges {
   privileged,    // `privileged: true`: every capability and device, no confinement
   capabilities,  // the capabilities, unconfined profiles and host cgroups dockerd needs; no
                  // devices. No safer than privileged (the host's cgroups are writable), but
                  // it runs where privileged containers are refused.
   sysbox,        // Sysbox's runtime (sysbox-runc): Docker inside without host privileges
};

// The parts of DOKPLOY_SERVER_URL the client needs.
struct ServerUrl {
   std::string text;    // as configured, without a trailing '/'
   std::string scheme;  // "http" or "https"
   std::string host;    // without brackets for IPv6
   uint16_t port = 0;
   std::string base_path;  // "" or "/prefix" (Dokploy behind a path)
   bool loopback() const;
};

// How DOKPLOY_DOCKER_PRIVILEGES reads in a report: "a privileged container", ….
const char* docker_privileges_text(DockerPrivileges privileges);

struct Settings {
   ServerUrl server;
   std::string token;  // secret: never logged, never put into a message or a workspace
   std::string project_name;
   std::optional<std::string> environment_name;
   std::optional<std::string> server_id;
   ServiceType service_type = ServiceType::compose;
   std::optional<std::string> ssh_host;
   uint16_t port_low = 2222;
   uint16_t port_high = 2299;
   std::string publish_mode = "ingress";
   DockerPrivileges docker_privileges = DockerPrivileges::privileged;
   std::optional<std::string> ca_cert;
   bool tls_insecure = false;
   uint32_t http_timeout_ms = 30'000;
   uint32_t connect_timeout_ms = 10'000;
   uint32_t http_retries = 4;
   uint32_t poll_interval_ms = 2'000;
   SharingSettings sharing;  // DOKPLOY_EXPOSE_*: the workspace ports shared as web addresses

   // Reads and checks the host-validated values; throws Error(DPP_E_CONFIG) naming the option.
   static Settings from(const dpp::sdk::Options& options);
};

struct PortRange {
   uint16_t low = 0;
   uint16_t high = 0;
};

// Reads DOKPLOY_SSH_PORT_RANGE: "2222-2299", or one port ("2222" is 2222-2222), spaces around
// the numbers allowed. Throws Error(DPP_E_CONFIG) naming the option, the value and the problem.
PortRange parse_port_range(std::string_view text);

// Parses "http(s)://host[:port][/path]"; throws Error(DPP_E_CONFIG).
ServerUrl parse_server_url(const std::string& text);

// Overwrites a secret in place before its memory is released.
void wipe(std::string& secret) noexcept;

}  // namespace dpp::dokploy

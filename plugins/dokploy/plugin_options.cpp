// Declares the Dokploy backend's options and turns their validated values into Settings.
#include "plugin_options.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace dpp::dokploy {
namespace {

using dpp::sdk::Error;
using dpp::sdk::option;

const dpp_option_desc kOptions[] = {
    option(kOptServerUrl, "URL of the Dokploy server, e.g. https://dokploy.example.com.")
        .of_type(DPP_OPTION_URL)
        .required()
        .in_group("connection"),
    option(kOptApiToken,
           "Dokploy API key (Settings > Profile > API/CLI), sent as the x-api-key header and never "
           "stored in a workspace.")
        .required()
        .secret()
        .in_group("connection"),
    option(kOptProjectName, "Dokploy project that holds the workspaces; created when missing.")
        .defaults_to("devpod-workspaces")
        .in_group("workspace"),
    option(kOptEnvironmentName,
           "Environment of the project (Dokploy v0.25 and later); unset: the project's default "
           "environment. Created when missing.")
        .in_group("workspace"),
    option(kOptServerId,
           "Id of a remote Dokploy server to deploy on; its IP address becomes the SSH host. "
           "Unset: the Dokploy host itself.")
        .in_group("workspace"),
    option(kOptServiceType,
           "compose: a Docker Compose service (privileged, Docker-in-Docker works); application: a "
           "Swarm service (no privileged containers, so no Docker inside).")
        .one_of("compose|application")
        .defaults_to("compose")
        .in_group("workspace"),
    option(kOptDockerPrivileges,
           "How a compose workspace with Docker inside gets its privileges: privileged (a privileged "
           "container); capabilities (the capabilities, unconfined profiles and host cgroups dockerd "
           "needs, for servers that refuse privileged containers; no safer than privileged); sysbox "
           "(Sysbox's sysbox-runc runtime, which the server must have: the safe way).")
        .one_of("privileged|capabilities|sysbox")
        .defaults_to("privileged")
        .in_group("workspace"),
    option(kOptSshHost,
           "Host name or address where workspaces answer SSH. Unset: the remote server's IP "
           "address, else the host of DOKPLOY_SERVER_URL.")
        .of_type(DPP_OPTION_HOST)
        .in_group("ssh"),
    // A range of ports is this backend's notion (one published port per workspace on a shared
    // server), so the host passes it as text and parse_port_range checks it.
    option(kOptSshPortRange, "Ports the workspaces' SSH servers are published on, one per workspace.")
        .defaults_to("2222-2299")
        .in_group("ssh"),
    option(kOptSshPublishMode,
           "How an application (Swarm) service publishes its SSH port: ingress (routing mesh) or "
           "host (only on the node running it).")
        .one_of("ingress|host")
        .defaults_to("ingress")
        .in_group("ssh"),
    option(kOptCaCert,
           "PEM file of the CA that signed Dokploy's TLS certificate, trusted instead of the system "
           "store.")
        .of_type(DPP_OPTION_PATH)
        .in_group("connection"),
    option(kOptTlsInsecure,
           "Skip TLS certificate verification (dangerous: the API token can be stolen). For tests "
           "only.")
        .of_type(DPP_OPTION_BOOLEAN)
        .defaults_to("false")
        .in_group("connection"),
    option(kOptExposePorts,
           "Workspace ports to share as web addresses through Dokploy's domains, each with an optional "
           "name: 3000 or 3000:web,8080:api. PUBLIC on the internet unless the app asks for a login. "
           "Empty: nothing is shared.")
        .in_group("workspace"),
    option(kOptExposeDomain,
           "Wildcard domain of the shared addresses: dev.example.com gives <name>-<machine>.dev.example.com "
           "(its DNS must point at the Dokploy server). Empty: names Dokploy generates (traefik.me / "
           "sslip.io), where the server has an IP address set.")
        .in_group("workspace"),
    option(kOptExposeHttps,
           "Certificates of the shared addresses: letsencrypt, none (plain HTTP) or the name of a Traefik "
           "certificate resolver. Empty: letsencrypt with DOKPLOY_EXPOSE_DOMAIN, none for generated names.")
        .in_group("workspace"),
    option(kOptExposeForwardAuth,
           "Put Dokploy's single sign-on (forward auth) in front of the shared addresses. Needs the "
           "application service type and a Dokploy with forward auth set up.")
        .of_type(DPP_OPTION_BOOLEAN)
        .defaults_to("false")
        .in_group("workspace"),
    option(kOptHttpTimeout, "How long one Dokploy API request may wait for its answer.")
        .of_type(DPP_OPTION_DURATION)
        .defaults_to("30s")
        .in_group("advanced"),
    option(kOptConnectTimeout, "How long connecting to Dokploy may take.")
        .of_type(DPP_OPTION_DURATION)
        .defaults_to("10s")
        .in_group("advanced"),
    option(kOptHttpRetries,
           "How often a failed request is retried (connection failures, HTTP 429, HTTP 5xx on "
           "reads), with exponential backoff.")
        .of_type(DPP_OPTION_INTEGER)
        .defaults_to("4")
        .in_group("advanced"),
    option(kOptPollInterval,
           "Longest pause between two status reads while create or start waits for a deploy (the "
           "first reads come sooner).")
        .of_type(DPP_OPTION_DURATION)
        .defaults_to("2s")
        .in_group("advanced"),
};

uint32_t milliseconds(const dpp::sdk::Options& options, const char* name, uint32_t fallback, uint32_t low,
                      uint32_t high) {
   const uint64_t value = options.get_u64(name, fallback);
   if (value < low || value > high)
      throw Error(DPP_E_CONFIG, std::string(name) + " must be between " + std::to_string(low) + " ms and " +
                                    std::to_string(high / 1000) + " s");
   return static_cast<uint32_t>(value);
}

uint16_t parse_port(std::string_view text, const char* option_name) {
   unsigned value = 0;
   auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
   if (error != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535)
      throw Error(DPP_E_CONFIG, std::string(option_name) + ": '" + std::string(text) + "' is not a port");
   return static_cast<uint16_t>(value);
}

std::string_view trimmed(std::string_view text) {
   while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
   while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
   return text;
}

// The digits of one end of a port range, or -1 when it is not 1 to 5 digits.
int port_number(std::string_view text) {
   text = trimmed(text);
   if (text.empty() || text.size() > 5) return -1;
   int value = 0;
   for (char c : text) {
      if (c < '0' || c > '9') return -1;
      value = value * 10 + (c - '0');
   }
   return value;
}

}  // namespace

PortRange parse_port_range(std::string_view text) {
   const auto refuse = [&](const std::string& problem) {
      std::size_t shown_length = std::min<std::size_t>(text.size(), 40);  // cut at a UTF-8 boundary
      while (shown_length < text.size() && (static_cast<unsigned char>(text[shown_length]) & 0xC0) == 0x80)
         --shown_length;
      const std::string shown =
          std::string(text.substr(0, shown_length)) + (shown_length < text.size() ? "…" : "");
      return Error(DPP_E_CONFIG, std::string(kOptSshPortRange) + "='" + shown + "' " + problem +
                                     ". Expected a port range such as 2222-2299.");
   };
   const auto dash = text.find('-');
   const int low = port_number(text.substr(0, dash));
   const int high = dash == std::string_view::npos ? low : port_number(text.substr(dash + 1));
   if (low < 0 || high < 0) throw refuse("is not a port range");
   if (low < 1 || high < 1 || low > 65535 || high > 65535) throw refuse("has a port outside 1-65535");
   if (low > high)
      throw refuse("is reversed: the first port (" + std::to_string(low) + ") is greater than the last (" +
                   std::to_string(high) + ")");
   return {static_cast<uint16_t>(low), static_cast<uint16_t>(high)};
}

std::span<const dpp_option_desc> declared_options() {
   return kOptions;
}

const char* docker_privileges_text(DockerPrivileges privileges) {
   switch (privileges) {
      case DockerPrivileges::privileged: break;
      case DockerPrivileges::capabilities: return "capabilities without a privileged container";
      case DockerPrivileges::sysbox: return "Sysbox's sysbox-runc runtime, which the server must have";
   }
   return "a privileged container";
}

bool ServerUrl::loopback() const {
   if (host == "localhost" || host == "::1" || host.ends_with(".localhost")) return true;
   return host.rfind("127.", 0) == 0 && std::all_of(host.begin(), host.end(), [](char c) {
             return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
          });
}

ServerUrl parse_server_url(const std::string& text) {
   ServerUrl url;
   url.text = text;
   while (!url.text.empty() && url.text.back() == '/') url.text.pop_back();
   const std::string bad = std::string(kOptServerUrl) + "='" + url.text + "' ";
   const auto scheme_end = url.text.find("://");
   if (scheme_end == std::string::npos) throw Error(DPP_E_CONFIG, bad + "has no http:// or https:// scheme");
   url.scheme = url.text.substr(0, scheme_end);
   std::transform(url.scheme.begin(), url.scheme.end(), url.scheme.begin(),
                  [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
   if (url.scheme != "http" && url.scheme != "https")
      throw Error(DPP_E_CONFIG, bad + "must start with http:// or https://");
   std::string rest = url.text.substr(scheme_end + 3);
   const auto path_start = rest.find_first_of("/?#");
   std::string authority = rest.substr(0, path_start);
   if (path_start != std::string::npos) {
      if (rest[path_start] != '/') throw Error(DPP_E_CONFIG, bad + "must not have a query or fragment");
      url.base_path = rest.substr(path_start);
      if (url.base_path.find_first_of("?#") != std::string::npos)
         throw Error(DPP_E_CONFIG, bad + "must not have a query or fragment");
   }
   if (authority.find('@') != std::string::npos)
      throw Error(DPP_E_CONFIG, bad + "must not contain credentials; set DOKPLOY_API_TOKEN instead");
   std::string port_text;
   if (!authority.empty() && authority.front() == '[') {
      const auto close = authority.find(']');
      if (close == std::string::npos) throw Error(DPP_E_CONFIG, bad + "has an unterminated IPv6 address");
      url.host = authority.substr(1, close - 1);
      if (close + 1 < authority.size()) {
         if (authority[close + 1] != ':') throw Error(DPP_E_CONFIG, bad + "has garbage after the address");
         port_text = authority.substr(close + 2);
      }
   } else {
      const auto colon = authority.rfind(':');
      url.host = authority.substr(0, colon);
      if (colon != std::string::npos) port_text = authority.substr(colon + 1);
   }
   if (url.host.empty()) throw Error(DPP_E_CONFIG, bad + "has no host");
   url.port = port_text.empty() ? (url.scheme == "https" ? 443 : 80) : parse_port(port_text, kOptServerUrl);
   return url;
}

Settings Settings::from(const dpp::sdk::Options& options) {
   Settings s;
   s.server = parse_server_url(options.require(kOptServerUrl));
   s.token = options.require(kOptApiToken);
   if (s.token.empty()) throw Error(DPP_E_CONFIG, std::string(kOptApiToken) + " is empty");
   for (char c : s.token)
      if (static_cast<unsigned char>(c) < 0x21 || c == 0x7F)
         throw Error(DPP_E_CONFIG, std::string(kOptApiToken) +
                                       " contains spaces or control characters (copy the key again)");
   s.project_name = options.get_or(kOptProjectName, "devpod-workspaces");
   if (s.project_name.empty()) throw Error(DPP_E_CONFIG, std::string(kOptProjectName) + " is empty");
   if (auto value = options.get(kOptEnvironmentName); value && !value->empty()) s.environment_name = value;
   if (auto value = options.get(kOptServerId); value && !value->empty()) s.server_id = value;
   const std::string type = options.get_or(kOptServiceType, "compose");
   if (type == "compose")
      s.service_type = ServiceType::compose;
   else if (type == "application")
      s.service_type = ServiceType::application;
   else
      throw Error(DPP_E_CONFIG, std::string(kOptServiceType) + " must be compose or application");
   if (auto value = options.get(kOptSshHost); value && !value->empty()) s.ssh_host = value;
   const PortRange ports = parse_port_range(options.get_or(kOptSshPortRange, "2222-2299"));
   s.port_low = ports.low;
   s.port_high = ports.high;
   s.publish_mode = options.get_or(kOptSshPublishMode, "ingress");
   if (s.publish_mode != "ingress" && s.publish_mode != "host")
      throw Error(DPP_E_CONFIG, std::string(kOptSshPublishMode) + " must be ingress or host");
   const std::string privileges = options.get_or(kOptDockerPrivileges, "privileged");
   if (privileges == "privileged")
      s.docker_privileges = DockerPrivileges::privileged;
   else if (privileges == "capabilities")
      s.docker_privileges = DockerPrivileges::capabilities;
   else if (privileges == "sysbox")
      s.docker_privileges = DockerPrivileges::sysbox;
   else
      throw Error(DPP_E_CONFIG,
                  std::string(kOptDockerPrivileges) + " must be privileged, capabilities or sysbox");
   if (auto value = options.get(kOptCaCert); value && !value->empty()) s.ca_cert = value;
   s.tls_insecure = options.get_bool(kOptTlsInsecure, false);
   s.http_timeout_ms = milliseconds(options, kOptHttpTimeout, 30'000, 100, 3'600'000);
   s.connect_timeout_ms = milliseconds(options, kOptConnectTimeout, 10'000, 100, 600'000);
   s.poll_interval_ms = milliseconds(options, kOptPollInterval, 2'000, 10, 600'000);
   const uint64_t retries = options.get_u64(kOptHttpRetries, 4);
   if (retries > 20) throw Error(DPP_E_CONFIG, std::string(kOptHttpRetries) + " must be between 0 and 20");
   s.http_retries = static_cast<uint32_t>(retries);
   s.sharing = SharingSettings::from(options, s.service_type == ServiceType::compose);
   if (s.ca_cert && s.server.scheme != "https")
      throw Error(DPP_E_CONFIG, std::string(kOptCaCert) + " is set but " + kOptServerUrl +
                                    " is plain http://; use https:// or unset " + kOptCaCert);
   return s;
}

void wipe(std::string& secret) noexcept {
   volatile char* p = secret.data();
   for (std::size_t i = 0; i < secret.size(); ++i) p[i] = 0;
   secret.clear();
}

}  // namespace dpp::dokploy

// Parsing and DNS checks of DOKPLOY_EXPOSE_*: shared ports, their names and host names.
#include "shared_ports.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

namespace dpp::dokploy {
namespace {

using dpp::sdk::Error;

constexpr std::size_t kMaxLabel = 63;
constexpr std::size_t kMaxHost = 253;

Error config_error(const char* option, const std::string& what) {
   return Error(DPP_E_CONFIG, std::string(option) + ": " + what);
}

bool label_char(char c) {
   return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

// Why `label` is not a DNS label (RFC 1035 2.3.1, RFC 1123 2.1), or "" when it is one.
std::string label_problem(std::string_view label) {
   if (label.empty()) return "an empty label";
   if (label.size() > kMaxLabel)
      return "the label '" + std::string(label) + "' is " + std::to_string(label.size()) +
             " characters long (DNS allows 63)";
   if (!std::all_of(label.begin(), label.end(), label_char))
      return "the label '" + std::string(label) + "' has characters other than a-z, 0-9 and '-'";
   if (label.front() == '-' || label.back() == '-')
      return "the label '" + std::string(label) + "' starts or ends with '-'";
   return "";
}

std::string lower(std::string_view text) {
   std::string out(text);
   std::transform(out.begin(), out.end(), out.begin(),
                  [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
   return out;
}

std::string trimmed(std::string_view text) {
   const auto first = text.find_first_not_of(" \t");
   if (first == std::string_view::npos) return "";
   const auto last = text.find_last_not_of(" \t");
   return std::string(text.substr(first, last - first + 1));
}

uint16_t parse_port_number(std::string_view text) {
   unsigned value = 0;
   const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
   if (text.empty() || error != std::errc() || end != text.data() + text.size() || value == 0 ||
       value > 65535)
      throw config_error(kOptExposePorts,
                         "'" + std::string(text) + "' is not a port (expected e.g. 3000 or 3000:web)");
   return static_cast<uint16_t>(value);
}

std::string check_port_name(std::string name) {
   name = lower(name);
   if (const std::string problem = label_problem(name); !problem.empty())
      throw config_error(kOptExposePorts, "the name '" + name + "' is not usable in a host name: " + problem);
   // The name and the machine id share one 63-character label.
   if (name.size() + 1 + kLongestUpMachineId > kMaxLabel)
      throw config_error(kOptExposePorts,
                         "the name '" + name + "' is " + std::to_string(name.size()) +
                             " characters long; with a machine id of `devpod up` (up to " +
                             std::to_string(kLongestUpMachineId) +
                             " characters) the address would break DNS's 63-character label limit: use at "
                             "most " +
                             std::to_string(kMaxLabel - 1 - kLongestUpMachineId) + " characters");
   return name;
}

}  // namespace

std::string SharingSettings::certificate_type() const {
   switch (tls) {
      case AddressTls::letsencrypt: return "letsencrypt";
      case AddressTls::none: return "none";
      case AddressTls::custom: return "custom";
   }
   return "none";
}

std::vector<SharedPort> parse_shared_ports(std::string_view text) {
   std::vector<SharedPort> out;
   std::set<uint16_t> ports;
   std::set<std::string> names;
   std::size_t start = 0;
   while (start <= text.size()) {
      const std::size_t comma = std::min(text.find(',', start), text.size());
      const std::string item = trimmed(text.substr(start, comma - start));
      start = comma + 1;
      if (item.empty()) continue;
      const auto colon = item.find(':');
      SharedPort shared;
      shared.port = parse_port_number(trimmed(std::string_view(item).substr(0, colon)));
      shared.name = colon == std::string::npos ? "p" + std::to_string(shared.port)
                                               : check_port_name(trimmed(item.substr(colon + 1)));
      if (!ports.insert(shared.port).second)
         throw config_error(kOptExposePorts, "port " + std::to_string(shared.port) + " is listed twice");
      if (!names.insert(shared.name).second)
         throw config_error(kOptExposePorts, "the name '" + shared.name + "' is used twice");
      out.push_back(std::move(shared));
   }
   if (out.size() > kMaxSharedPorts)
      throw config_error(kOptExposePorts, std::to_string(out.size()) + " ports; at most " +
                                              std::to_string(kMaxSharedPorts) + " can be shared");
   return out;
}

std::string parse_base_domain(std::string_view text) {
   std::string base = lower(trimmed(text));
   if (base.rfind("http://", 0) == 0 || base.rfind("https://", 0) == 0 || base.rfind("*.", 0) == 0 ||
       base.find('/') != std::string::npos || base.find(':') != std::string::npos)
      throw config_error(kOptExposeDomain, "'" + base +
                                               "' must be a plain domain name without a scheme, '*.', "
                                               "a port or a path, e.g. dev.example.com");
   if (!base.empty() && base.back() == '.') base.pop_back();
   std::string why;
   if (!valid_host_name(base, &why)) throw config_error(kOptExposeDomain, "'" + base + "': " + why);
   // Every address is "<label>.<base>" with a label of up to 63 characters.
   if (base.size() + 1 + kMaxLabel > kMaxHost)
      throw config_error(kOptExposeDomain, "'" + base + "' is " + std::to_string(base.size()) +
                                               " characters long; addresses under it would exceed "
                                               "DNS's 253 characters: use at most " +
                                               std::to_string(kMaxHost - 1 - kMaxLabel));
   return base;
}

bool valid_host_name(std::string_view host, std::string* why) {
   const auto fail = [&](const std::string& reason) {
      if (why) *why = reason;
      return false;
   };
   if (host.empty()) return fail("it is empty");
   if (host.size() > kMaxHost)
      return fail("it is " + std::to_string(host.size()) + " characters long (DNS allows 253)");
   std::size_t start = 0;
   while (true) {
      const std::size_t dot = std::min(host.find('.', start), host.size());
      if (const std::string problem = label_problem(host.substr(start, dot - start)); !problem.empty())
         return fail(problem);
      if (dot == host.size()) return true;
      start = dot + 1;
   }
}

std::string address_label(const SharedPort& port, std::string_view machine_id) {
   const std::string label = port.name + "-" + std::string(machine_id);
   const std::string shorten =
       "; shorten the name '" + port.name + "' in " + kOptExposePorts + " or use a shorter machine name";
   if (label.size() > kMaxLabel)
      throw Error(DPP_E_CONFIG, "the address of port " + std::to_string(port.port) + " would start with '" +
                                    label + "', " + std::to_string(label.size()) +
                                    " characters: DNS allows 63 in one label" + shorten);
   if (const std::string problem = label_problem(label); !problem.empty())
      throw Error(DPP_E_CONFIG, "the address of port " + std::to_string(port.port) + " would start with " +
                                    problem + "; use another machine name");
   // Labels with "--" at positions 3-4 are reserved for internationalised names (RFC 5891 4.2.3.1).
   if (label.size() >= 4 && label.compare(2, 2, "--") == 0)
      throw Error(DPP_E_CONFIG,
                  "the address of port " + std::to_string(port.port) + " would start with '" + label +
                      "', whose '--' at positions 3-4 is reserved for internationalised names" + shorten);
   return label;
}

std::vector<PlannedAddress> plan_addresses(const SharingSettings& sharing, std::string_view machine_id) {
   std::vector<PlannedAddress> out;
   for (const SharedPort& port : sharing.ports) {
      PlannedAddress planned{port, address_label(port, machine_id), std::nullopt};
      if (sharing.base_domain) planned.host = planned.label + "." + *sharing.base_domain;
      out.push_back(std::move(planned));
   }
   return out;
}

std::string address_url(const std::string& host, bool https) {
   return (https ? "https://" : "http://") + host;
}

SharingSettings SharingSettings::from(const dpp::sdk::Options& options, bool compose_services) {
   SharingSettings s;
   s.ports = parse_shared_ports(options.get_or(kOptExposePorts, ""));
   if (auto base = options.get(kOptExposeDomain); base && !trimmed(*base).empty())
      s.base_domain = parse_base_domain(*base);
   const std::string tls = trimmed(options.get_or(kOptExposeHttps, ""));
   if (tls.empty())
      // Let's Encrypt for a domain of one's own; Dokploy's generated names get plain HTTP, as
      // Dokploy's own "generate domain" does.
      s.tls = s.base_domain ? AddressTls::letsencrypt : AddressTls::none;
   else if (tls == "letsencrypt")
      s.tls = AddressTls::letsencrypt;
   else if (tls == "none")
      s.tls = AddressTls::none;
   else if (tls == "custom")
      throw config_error(kOptExposeHttps, "name the Traefik certificate resolver to use instead of 'custom'");
   else if (tls.size() <= 64 && std::all_of(tls.begin(), tls.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
            })) {
      s.tls = AddressTls::custom;
      s.cert_resolver = tls;
   } else {
      throw config_error(kOptExposeHttps, "'" + tls +
                                              "' is neither letsencrypt, none nor the name of a Traefik "
                                              "certificate resolver (letters, digits, '-' and '_')");
   }
   s.forward_auth = options.get_bool(kOptExposeForwardAuth, false);
   if (s.forward_auth && compose_services)
      throw config_error(kOptExposeForwardAuth,
                         "Dokploy puts forward auth only in front of application domains; a compose "
                         "service's addresses would stay public. Use DOKPLOY_SERVICE_TYPE=application or "
                         "unset " +
                             std::string(kOptExposeForwardAuth));
   return s;
}

}  // namespace dpp::dokploy

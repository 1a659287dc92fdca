// SSH endpoint checks through the transport.
#include "lifecycle/endpoint_checks.hpp"

#include "loader/plugin_error.hpp"

namespace dpp::core {

dpp_ssh_target ssh_target(const Endpoint& endpoint, const dpp_credentials* credentials,
                          uint32_t connect_timeout_ms) {
   dpp_ssh_target target{};
   target.struct_size = sizeof target;
   target.host = endpoint.host.c_str();
   target.port = endpoint.port;
   target.host_key = endpoint.host_key.c_str();
   target.credentials = credentials;
   target.connect_timeout_ms = connect_timeout_ms;
   return target;
}

void offer_endpoint_checks(Session& session, const std::string& pinned_host_key) {
   Transport* transport = &session.transport();
   session.services().set_endpoint_checker(
       [transport, pinned_host_key](const std::string& host, uint16_t port, const std::string& expected,
                                    uint32_t timeout_ms, std::string& message) {
          const std::string key = expected.empty() ? pinned_host_key : expected;
          if (key.empty()) {  // init, doctor: no machine, so no key of ours to default to
             message = "no host key to check against: this verb has no machine";
             return dpp_status{DPP_E_UNSUPPORTED};
          }
          const Endpoint endpoint{.host = host, .port = port, .user = {}, .host_key = key};
          return transport->probe(ssh_target(endpoint, nullptr, timeout_ms), timeout_ms, message);
       });
}

std::optional<std::string> backend_login_user(const dpp_workspace_info& info, const PluginLibrary& backend) {
   if (!info.ssh_user[0]) return std::nullopt;
   const std::string user = info.ssh_user;
   if (user == "root")
      throw PluginError(backend.file(),
                        "the backend named root as the SSH user; dokploy-provider never logs in as root "
                        "(DevPod's agent and every command would run as root): configure the backend "
                        "with a user that has passwordless sudo");
   return user;
}

Endpoint endpoint_from_info(const dpp_workspace_info& info, const PluginLibrary& backend,
                            const std::string& default_user, const std::string& default_host_key) {
   Endpoint endpoint;
   endpoint.host = info.ssh_host;
   endpoint.port = info.ssh_port;
   endpoint.user = backend_login_user(info, backend).value_or(default_user);
   endpoint.host_key = info.ssh_host_key[0] ? std::string(info.ssh_host_key) : default_host_key;
   return endpoint;
}

}  // namespace dpp::core

// The ssh-machine backend.
#include "ssh_machine_backend.hpp"

#include "ssh_banner_probe.hpp"

namespace ssh_machine {
namespace {

using dpp::sdk::Error;

// Keys of this plugin's private state (dpp_host.state_get/state_set).
constexpr const char* kHost = "host";
constexpr const char* kPort = "port";
constexpr const char* kUser = "user";
constexpr const char* kHostKey = "host_key";

}  // namespace

SshMachineBackend::SshMachineBackend(dpp::sdk::Host host, const dpp::sdk::Options& options)
    : host_(host), settings_(MachineSettings::from(options)) {}

std::optional<MachineSettings> SshMachineBackend::recorded() const {
   const auto host = host_.state_get(kHost);
   if (!host) return std::nullopt;
   MachineSettings machine;
   machine.host = *host;
   machine.port = static_cast<uint16_t>(std::stoul(host_.state_get(kPort).value_or("22")));
   machine.user = host_.state_get(kUser).value_or(settings_.user);
   machine.host_key = host_.state_get(kHostKey).value_or(settings_.host_key);
   machine.timeout_ms = settings_.timeout_ms;
   return machine;
}

void SshMachineBackend::record(const MachineSettings& machine) const {
   host_.state_set(kPort, std::to_string(machine.port));
   host_.state_set(kUser, machine.user);
   host_.state_set(kHostKey, machine.host_key);
   host_.state_set(kHost, machine.host);  // last: its presence means "recorded"
}

dpp_status SshMachineBackend::reachable(const MachineSettings& machine, std::string& detail) const {
   try {
      // Through the host's transport: a key exchange that proves the pinned key answers.
      host_.check_endpoint(machine.host, machine.port, machine.host_key, machine.timeout_ms);
      return DPP_OK;
   } catch (const Error& e) {
      detail = e.what();
      if (e.status() != DPP_E_UNSUPPORTED) return e.status();
   }
   // No transport in this run (status, delete): the banner says whether SSH answers at all.
   const int timeout = static_cast<int>(machine.timeout_ms < 5000 ? machine.timeout_ms : 5000);
   return ssh_banner_answers(machine.host, machine.port, timeout, detail) ? DPP_OK : DPP_E_CONNECT;
}

dpp::sdk::WorkspaceInfo SshMachineBackend::info(const MachineSettings& machine, int32_t state,
                                                const std::string& detail) const {
   dpp::sdk::WorkspaceInfo info;
   info.state = state;
   info.ssh_host = machine.host;
   info.ssh_port = machine.port;
   // The login user and host key are the machine's, not the ones the auth plugin would give a
   // workspace it created: the host's transport then logs in as this user and pins this key.
   info.ssh_user = machine.user;
   info.ssh_host_key = machine.host_key;
   info.detail = detail;
   return info;
}

void SshMachineBackend::check(dpp::sdk::CheckReport& report) {
   report.pass("configuration", "machine " + settings_.address());
   std::string detail;
   const dpp_status status = reachable(settings_, detail);
   if (status == DPP_OK)
      report.pass("machine reachable",
                  settings_.host + ":" + std::to_string(settings_.port) + " answers SSH");
   else if (status == DPP_E_HOST_KEY_MISMATCH)
      report.fail("machine host key", detail,
                  "compare SSH_MACHINE_HOST_KEY with /etc/ssh/ssh_host_ed25519_key.pub on " + settings_.host,
                  status);
   else
      report.fail("machine reachable", detail,
                  "start the machine, or correct SSH_MACHINE_HOST and SSH_MACHINE_PORT", status);
}

dpp::sdk::WorkspaceInfo SshMachineBackend::create(const dpp::sdk::WorkspaceSpec& spec) {
   // This backend cannot put a password on a machine it did not make: only key logins work.
   const auto authorized_key = spec.env_value(DPP_ENV_SSH_AUTHORIZED_KEY);
   if (!authorized_key)
      throw Error(DPP_E_CONFIG, "org.example.ssh-machine logs in with a key only; set DOKPLOY_SSH_AUTH=key");

   try {
      // The host's transport proves the pinned key answers, waiting up to SSH_MACHINE_TIMEOUT
      // while the machine is still booting (dpp_host.wait_for_endpoint: no retry loop of ours).
      host_.wait_for_endpoint(settings_.host, settings_.port, settings_.host_key, settings_.timeout_ms);
   } catch (const Error& e) {
      const std::string where = settings_.host + ":" + std::to_string(settings_.port);
      if (e.status() == DPP_E_HOST_KEY_MISMATCH)
         throw Error(e.status(), where + " answers with another host key than SSH_MACHINE_HOST_KEY (" +
                                     e.what() +
                                     "); compare it with /etc/ssh/ssh_host_ed25519_key.pub on the machine");
      if (e.status() == DPP_E_CANCELLED) throw;
      throw Error(e.status(), "the machine " + where + " does not answer SSH (" + e.what() +
                                  "); start it, or correct SSH_MACHINE_HOST and SSH_MACHINE_PORT");
   }

   record(settings_);
   host_.info("recorded the machine ", settings_.address(), " for ", spec.machine_id);
   // The one step a person must take: DevPod logs in with this machine's own key.
   host_.info("to let DevPod log in, add this line to ~", settings_.user, "/.ssh/authorized_keys on ",
              settings_.host, ": ", *authorized_key);
   return info(settings_, DPP_WORKSPACE_RUNNING, "existing machine " + settings_.address());
}

dpp::sdk::WorkspaceInfo SshMachineBackend::start(const dpp::sdk::WorkspaceSpec&) {
   throw Error(DPP_E_UNSUPPORTED,
               "start is not supported by this backend: it does not control the power of " +
                   settings_.address() + "; start the machine yourself");
}

void SshMachineBackend::stop(const std::string&) {
   throw Error(DPP_E_UNSUPPORTED, "stop is not supported by this backend: it does not control the power of " +
                                      settings_.address() + "; stop the machine yourself");
}

void SshMachineBackend::remove(const std::string& machine_id, bool) {
   const auto machine = recorded();
   for (const char* key : {kHost, kPort, kUser, kHostKey}) host_.state_set(key, std::nullopt);
   if (machine)
      host_.info(
          "forgot the machine ", machine->address(), " of ", machine_id,
          "; the machine itself is untouched (remove DevPod's key from its authorized_keys if you like)");
}

dpp::sdk::WorkspaceInfo SshMachineBackend::status(const std::string&) {
   const auto machine = recorded();
   if (!machine) return {};  // NOT_FOUND: DevPod then calls create
   std::string detail;
   // Never NOT_FOUND while recorded: DevPod would "create" it again; STOPPED tells it to start.
   if (reachable(*machine, detail) == DPP_OK)
      return info(*machine, DPP_WORKSPACE_RUNNING, machine->address() + " answers SSH");
   return info(*machine, DPP_WORKSPACE_STOPPED, machine->address() + " does not answer SSH: " + detail);
}

}  // namespace ssh_machine

// The plugin's entry: its id, its options (declared through the ABI, so that the host reads them
// from the environment, validates them and lists them in `dokploy-provider plugins`), and its
// one capability, a backend.
#include <dpp/cpp/plugin.hpp>

#include "ssh_machine_backend.hpp"

namespace ssh_machine {

struct SshMachinePlugin {
   static constexpr const char* id = "org.example.ssh-machine";
   static constexpr const char* version = "1.0.0";
   static constexpr const char* description = "Workspaces on an existing machine reachable over SSH";

   static std::span<const dpp_option_desc> options() {
      using dpp::sdk::option;
      static constexpr dpp_option_desc all[] = {
          option("SSH_MACHINE_HOST", "Host name or IP address of the machine.")
              .of_type(DPP_OPTION_HOST)
              .required()
              .in_group("connection"),
          option("SSH_MACHINE_PORT", "SSH port of the machine.")
              .of_type(DPP_OPTION_PORT)
              .defaults_to("22")
              .in_group("connection"),
          option("SSH_MACHINE_USER",
                 "User DevPod logs in as; its ~/.ssh/authorized_keys must hold the key `create` prints.")
              .required()
              .in_group("ssh"),
          option("SSH_MACHINE_HOST_KEY",
                 "The machine's SSH host key, pinned (no trust on first use): the content of "
                 "/etc/ssh/ssh_host_ed25519_key.pub there.")
              .required()
              .in_group("ssh"),
          option("SSH_MACHINE_TIMEOUT", "How long create and status wait for the machine's SSH to answer.")
              .of_type(DPP_OPTION_DURATION)
              .defaults_to("15s"),
      };
      return all;
   }

   using backend = SshMachineBackend;
};

}  // namespace ssh_machine

DPP_SDK_EXPORT_PLUGIN(ssh_machine::SshMachinePlugin)

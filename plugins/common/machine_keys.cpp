// Per-machine keys in the machine folder.
#include "common/machine_keys.hpp"

#include "common/base64.hpp"

namespace dpp::plugins {

OpensshKeyPair machine_key_pair(const sdk::Host& host, const std::string& name, const std::string& comment,
                                bool create) {
   std::optional<std::string> private_key = host.read_machine_file(name);
   if (private_key) {
      std::optional<std::string> public_line = public_line_of_private_key(*private_key, comment);
      sdk::Credentials::wipe(*private_key);
      if (!public_line)
         throw sdk::Error(DPP_E_IO,
                          "the key file " + host.machine_folder() + "/" + name +
                              " is not an unencrypted OpenSSH ed25519 key this program wrote; delete "
                              "the workspace and create it again");
      // A crash between the two writes of a new key can leave the .pub missing: rebuild it.
      if (host.read_machine_file(name + ".pub") != *public_line + "\n")
         host.write_machine_file(name + ".pub", *public_line + "\n");
      // Read again for the caller: the first copy was wiped as soon as it was checked.
      return {host.read_machine_file(name).value_or(""), *public_line};
   }
   if (!create)
      throw sdk::Error(DPP_E_NOT_FOUND, "this machine has no " + name + " in " + host.machine_folder() +
                                            " (its create did not make one, or the file was removed); "
                                            "delete and recreate the workspace");
   OpensshKeyPair pair = generate_ed25519(comment);
   // The private key first: a crash between the two writes leaves a key whose .pub is rebuilt.
   host.write_machine_file(name, pair.private_key);
   host.write_machine_file(name + ".pub", pair.public_line + "\n");
   host.info("made a new ed25519 key ", name, " for this machine");
   return pair;
}

sdk::WorkspaceAuth workspace_auth_with_host_key(const OpensshKeyPair& host_key, const std::string& user) {
   sdk::WorkspaceAuth auth;
   auth.user = user;
   auth.host_private_key_base64 = base64_encode(host_key.private_key);
   auth.host_public_key = host_key.public_line;
   return auth;
}

}  // namespace dpp::plugins

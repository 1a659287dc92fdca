// Helpers of the secret-hygiene tests.
#include "secrets_fixture.hpp"

#include <fstream>
#include <memory>

#include "support/test_paths.hpp"

namespace dpp::test::secrets {

Emulator& emulator() {
   static std::unique_ptr<Emulator> instance = std::make_unique<Emulator>();
   return *instance;
}

std::string hostile_plugin() {
   return DPP_HOSTILE_PLUGIN;
}

EnvMap machine_environment(const std::string& machine, const std::string& folder, const std::string& auth) {
   EnvMap env = clean_environment();
   env["DOKPLOY_SERVER_URL"] = emulator().url();
   env["DOKPLOY_API_TOKEN"] = emulator().token();
   env["DOKPLOY_SSH_TRANSPORT"] = hostile_plugin();
   env["DOKPLOY_SSH_AUTH"] = auth;
   env["DOKPLOY_POLL_INTERVAL"] = "100ms";
   env["DOKPLOY_SSH_PORT_RANGE"] = "44200-44299";
   env["MACHINE_ID"] = machine;
   env["MACHINE_FOLDER"] = folder;
   return env;
}

std::string read_file(const std::string& path) {
   std::ifstream in(path, std::ios::binary);
   return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void add_machine_secrets(SecretSet& secrets, const std::string& folder, bool with_host_key) {
   if (hostile::file_exists(folder + "/id_ed25519")) secrets.add_private_key_file("client private key", folder + "/id_ed25519");
   if (hostile::file_exists(folder + "/ssh-password")) {
      std::string password = read_file(folder + "/ssh-password");
      while (!password.empty() && password.back() == '\n') password.pop_back();
      secrets.add("SSH password", password);
   }
   if (with_host_key && hostile::file_exists(folder + "/ssh_host_ed25519_key"))
      secrets.add_private_key_file("workspace host private key", folder + "/ssh_host_ed25519_key");
}

std::vector<std::string> findings_in(const SecretSet& secrets, const std::string& what, const ProcessResult& result) {
   std::vector<std::string> findings = secrets.find_in("stdout of " + what, result.out);
   for (auto& finding : secrets.find_in("stderr of " + what, result.err)) findings.push_back(finding);
   return findings;
}

std::vector<std::string> findings_in_machine_folder(const SecretSet& secrets, const std::string& folder) {
   return secrets.find_in_tree(folder, {folder + "/id_ed25519", folder + "/ssh-password",
                                        folder + "/ssh_host_ed25519_key"});
}

}  // namespace dpp::test::secrets

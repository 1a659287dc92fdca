// What the reliability tests need from the machine.
#include "requirements.hpp"

#include <unistd.h>

#include "support/sshd_server.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::reliability {

std::string missing_requirement(const Needs& needs) {
   if (!running_as_root())
      return "needs root: workspaces log their user in through a real sshd in a private mount namespace, "
             "and real workspaces run in network namespaces (CI runs as root)";
   if (::access(provider_path().c_str(), X_OK) != 0) return provider_path() + " is not built";
   for (const char* plugin : {"dpp-dokploy.so", "dpp-libssh2.so", "dpp-key.so"})
      if (::access((plugin_dir() + "/" + plugin).c_str(), R_OK) != 0)
         return std::string("plugin ") + plugin + " is not built in " + plugin_dir();
   if (needs.system_ssh) {
      if (::access((plugin_dir() + "/dpp-system.so").c_str(), R_OK) != 0)
         return "plugin dpp-system.so is not built in " + plugin_dir();
      if (::access("/usr/bin/ssh", X_OK) != 0) return "no /usr/bin/ssh (Debian package openssh-client)";
   }
   if (auto reason = SshdServer::unavailable()) return *reason;
   if (needs.workspace_runner && ::access("/usr/bin/socat", X_OK) != 0)
      return "no /usr/bin/socat: the workspace runner forwards published ports with it";
   return "";
}

}  // namespace dpp::test::reliability

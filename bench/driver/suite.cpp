// Progress output and the shared workspace machine.
#include "suite.hpp"

#include <cstdio>
#include <stdexcept>

namespace dpp::bench {

void progress(const std::string& text) {
   std::fprintf(stderr, "dpp-bench: %s\n", text.c_str());
   std::fflush(stderr);
}

Workspace create_workspace(Suite& suite, const std::string& id) {
   Workspace workspace{id, suite.world.new_machine_folder(id)};
   const Outcome created = run_measured(
       {.argv = suite.world.provider_argv("create"),
        .env = suite.world.provider_env(suite.world.workspace_emulator(), workspace.id, workspace.folder)});
   require_success(created, "dokploy-provider create (" + id + ")");
   return workspace;
}

}  // namespace dpp::bench

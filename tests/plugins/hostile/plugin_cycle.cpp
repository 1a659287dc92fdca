// A minimal host for leak checks (run under valgrind by plugin_leak_test.cpp): loads one plugin
// file with the real loader, makes every object it offers (an auth strategy also makes and reads
// its credentials in a fresh machine folder), destroys them and unloads the library.
// Usage: dpp_plugin_cycle PLUGIN_FILE MACHINE_FOLDER [NAME=value …]
#include <cstdio>
#include <exception>
#include <map>
#include <string>

#include "loader/host_services.hpp"
#include "loader/plugin_instances.hpp"
#include "loader/plugin_library.hpp"
#include "options/configuration.hpp"
#include "state/machine_state.hpp"

int main(int argc, char** argv) {
   using namespace dpp::core;
   if (argc < 3) {
      std::fprintf(stderr, "usage: %s PLUGIN_FILE MACHINE_FOLDER [NAME=value ...]\n", argv[0]);
      return 2;
   }
   try {
      HostServices services;
      MachineState state(argv[2], "leak-check");
      services.set_machine(&state);
      std::map<std::string, std::string> values;
      for (int i = 3; i < argc; ++i) {
         const std::string pair = argv[i];
         const auto equals = pair.find('=');
         if (equals != std::string::npos) values[pair.substr(0, equals)] = pair.substr(equals + 1);
      }
      {
         std::shared_ptr<PluginLibrary> plugin = PluginLibrary::open(argv[1]);
         plugin->initialise(services.for_plugin(plugin->id()));
         const Configuration config =
             resolve_configuration(plugin->options(), Environment::from_map(values), nullptr);
         int made = 0;
         if (plugin->offers(PluginKind::backend)) {
            Backend backend(plugin, services, config);
            ++made;
         }
         if (plugin->offers(PluginKind::transport)) {
            Transport transport(plugin, services, config);
            ++made;
         }
         if (plugin->offers(PluginKind::auth)) {
            Auth auth(plugin, services, config);
            auth.prepare(/*create_missing=*/true);
            (void)auth.workspace_auth();
            (void)auth.credentials();
            ++made;
         }
         std::printf("%s: %d object(s) made and destroyed\n", plugin->id().c_str(), made);
      }  // the library is unloaded here (deinit, dlclose)
      services.set_machine(nullptr);
   } catch (const std::exception& e) {
      std::fprintf(stderr, "dpp_plugin_cycle: %s\n", e.what());
      return 1;
   }
   return 0;
}

// One run of a verb: the configuration (host options and the selected plugins' options, checked
// together), the machine, and the plugins, each loaded only when the verb asks for it.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "loader/host_services.hpp"
#include "loader/plugin_instances.hpp"
#include "loader/plugin_registry.hpp"
#include "options/configuration.hpp"
#include "options/environment.hpp"
#include "state/machine_state.hpp"

namespace dpp::core {

struct SessionSettings {
   std::filesystem::path executable;           // to find the plugin folder beside it
   Environment environment;                    // DevPod's environment (or a test's)
   std::optional<std::string> config_file;     // --config FILE
   std::optional<std::string> machine_id;      // --machine-id (else MACHINE_ID)
   std::optional<std::string> machine_folder;  // --machine-folder (else MACHINE_FOLDER)
};

// Which plugins a verb needs: only those are loaded (a `status` never opens the SSH plugins).
struct PluginNeeds {
   bool backend = false;
   bool transport = false;
   bool auth = false;
};

class Session {
 public:
   explicit Session(SessionSettings settings);
   ~Session();

   // Resolves the configuration and loads the plugins in `needs`. Every problem found (bad
   // values, missing options, unknown plugins, unknown config-file keys) is reported in one
   // ConfigError. Registers secret values with the logger's redaction.
   void configure(PluginNeeds needs);

   const Configuration& config() const;
   const Environment& environment() const { return settings_.environment; }
   HostServices& services() { return services_; }

   // MACHINE_ID and MACHINE_FOLDER, validated; the state is loaded on first use. Throws
   // UsageError when they are missing or malformed.
   MachineState& machine();
   bool has_machine() const;

   Backend& backend();
   Transport& transport();
   Auth& auth();
   enum class Role { backend, transport, auth };
   const PluginLibrary& plugin(Role role) const;
   bool has_transport() const { return transport_ != nullptr; }

   // Plugin files and options, for `plugins`/`version`.
   PluginRegistry& registry();

 private:
   SessionSettings settings_;
   HostServices services_;
   std::unique_ptr<PluginRegistry> registry_;
   std::optional<Configuration> config_;
   std::unique_ptr<MachineState> machine_;
   std::map<std::string, std::string> file_values_;
   std::shared_ptr<PluginLibrary> backend_plugin_, transport_plugin_, auth_plugin_;
   // Destroyed before the plugins' libraries (members are destroyed in reverse order).
   std::unique_ptr<Backend> backend_;
   std::unique_ptr<Transport> transport_;
   std::unique_ptr<Auth> auth_;
};

// MACHINE_ID as DevPod makes it: [a-z0-9-]{1,48}.
bool is_valid_machine_id(const std::string& id);

}  // namespace dpp::core

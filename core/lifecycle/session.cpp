// One run of a verb: configuration, machine, plugins.
#include "lifecycle/session.hpp"

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <set>

#include "errors.hpp"
#include "loader/plugin_error.hpp"
#include "logging/logging.hpp"
#include "options/config_file.hpp"
#include "options/host_options.hpp"
#include "util/text.hpp"

namespace dpp::core {

bool is_valid_machine_id(const std::string& id) {
   static const std::regex pattern("[a-z0-9][a-z0-9-]{0,47}");
   return std::regex_match(id, pattern);
}

Session::Session(SessionSettings settings) : settings_(std::move(settings)) {}

Session::~Session() {
   // Objects first, then the libraries that made them.
   auth_.reset();
   transport_.reset();
   backend_.reset();
   services_.set_endpoint_checker(nullptr);
}

PluginRegistry& Session::registry() {
   if (!registry_) {
      // `plugins` and `version` come here without configure(): DOKPLOY_PLUGIN_PATH may still be
      // in the --config file.
      if (settings_.config_file && file_values_.empty())
         file_values_ = read_config_file(*settings_.config_file);
      const std::string plugin_path =
          settings_.environment.get(kOptPluginPath)
              .value_or(file_values_.count(kOptPluginPath) ? file_values_.at(kOptPluginPath) : "");
      registry_ = std::make_unique<PluginRegistry>(
          PluginRegistry::search_path(settings_.executable, plugin_path), services_);
   }
   return *registry_;
}

void Session::configure(PluginNeeds needs) {
   // Incremental: a verb may need one more plugin later (command asks the backend when its
   // state file lost the endpoint). Objects already made are kept.
   needs.backend = needs.backend || backend_;
   needs.transport = needs.transport || transport_;
   needs.auth = needs.auth || auth_;
   std::vector<std::string> problems;
   if (settings_.config_file && !config_) file_values_ = read_config_file(*settings_.config_file);

   // Phase 1: only the host options that choose plugins, so that a bad value of any other option
   // (reported in phase 3) does not keep the plugins from loading and their options from being
   // checked in the same run: every problem is reported at once.
   std::vector<OptionSpec> selection_specs;
   for (const auto& spec : host_option_specs())
      if (spec.name == kOptBackend || spec.name == kOptTransport || spec.name == kOptAuth ||
          spec.name == kOptPluginPath)
         selection_specs.push_back(spec);
   std::map<std::string, std::string> host_file_values;
   for (const auto& spec : selection_specs)
      if (auto it = file_values_.find(spec.name); it != file_values_.end())
         host_file_values[it->first] = it->second;
   std::optional<Configuration> host_config;
   try {
      host_config = resolve_configuration(selection_specs, settings_.environment, &host_file_values);
   } catch (const ConfigError& e) {
      problems.insert(problems.end(), e.problems().begin(), e.problems().end());
   }

   // Phase 2: the plugins. With a config file, every selected plugin's options are known names
   // there whatever the verb, so that one file is valid for every verb.
   auto select = [&](bool needed, PluginKind kind, const char* option, std::shared_ptr<PluginLibrary>& slot) {
      if (!needed || slot || !host_config) return;
      try {
         slot = registry().select(kind, host_config->get_or(option, ""), option);
      } catch (const ConfigError& e) {
         problems.insert(problems.end(), e.problems().begin(), e.problems().end());
      } catch (const ProviderError& e) {
         problems.push_back(std::string(option) + ": " + e.what());
      }
   };
   const PluginNeeds load = settings_.config_file ? PluginNeeds{true, true, true} : needs;
   select(load.backend, PluginKind::backend, kOptBackend, backend_plugin_);
   select(load.transport, PluginKind::transport, kOptTransport, transport_plugin_);
   select(load.auth, PluginKind::auth, kOptAuth, auth_plugin_);

   // Phase 3: every option together, so that all problems are reported at once.
   std::vector<OptionSpec> specs = host_option_specs();
   std::map<std::string, std::string> owners;
   for (const auto& spec : specs) owners[spec.name] = "the host";
   for (const auto* plugin : {&backend_plugin_, &transport_plugin_, &auth_plugin_}) {
      if (!*plugin) continue;
      for (const auto& spec : (*plugin)->options()) {
         if (auto it = owners.find(spec.name); it != owners.end()) {
            if (it->second != (*plugin)->id())
               problems.push_back("the option " + spec.name + " is declared by both " + it->second +
                                  " and the plugin '" + (*plugin)->id() + "' (" + (*plugin)->file() +
                                  "); one of them must rename it");
            continue;
         }
         owners[spec.name] = (*plugin)->id();
         specs.push_back(spec);
      }
   }
   std::vector<std::string> value_problems;
   config_ = resolve_configuration(specs, settings_.environment, &file_values_, value_problems);
   for (const auto& problem : check_host_option_values(*config_)) value_problems.push_back(problem);
   for (const auto& problem : value_problems)
      if (std::find(problems.begin(), problems.end(), problem) == problems.end()) problems.push_back(problem);
   if (!problems.empty()) throw ConfigError(problems);
   for (const auto& secret : config_->secret_values()) redact_in_logs(secret);

   // Phase 4: the objects, each made once.
   if (needs.auth && !auth_) auth_ = std::make_unique<Auth>(auth_plugin_, services_, *config_);
   if (needs.transport && !transport_)
      transport_ = std::make_unique<Transport>(transport_plugin_, services_, *config_);
   if (needs.backend && !backend_) backend_ = std::make_unique<Backend>(backend_plugin_, services_, *config_);
}

const Configuration& Session::config() const {
   if (!config_) throw ProviderError(kExitFailure, "internal error: configuration used before configure()");
   return *config_;
}

bool Session::has_machine() const {
   return settings_.machine_id || settings_.environment.get("MACHINE_ID");
}

MachineState& Session::machine() {
   if (machine_) return *machine_;
   const std::optional<std::string> id =
       settings_.machine_id ? settings_.machine_id : settings_.environment.get("MACHINE_ID");
   if (!id)
      throw UsageError(
          "MACHINE_ID is not set. DevPod sets it for every machine command; outside "
          "DevPod pass --machine-id NAME");
   if (!is_valid_machine_id(*id))
      throw UsageError("MACHINE_ID='" + printable_excerpt(*id) +
                       "' is not a machine id: expected 1-48 characters of a-z, 0-9 and '-', "
                       "starting with a letter or digit");
   std::optional<std::string> folder =
       settings_.machine_folder ? settings_.machine_folder : settings_.environment.get("MACHINE_FOLDER");
   if (!folder) {
      // Outside DevPod: a private per-user folder, like DevPod's own.
      const char* home = std::getenv("HOME");
      if (!home || !*home)
         throw UsageError("MACHINE_FOLDER is not set and there is no HOME; pass --machine-folder DIR");
      folder = std::string(home) + "/.local/state/dokploy-provider/machines/" + *id;
   }
   if (folder->empty() || folder->front() != '/')
      throw UsageError("MACHINE_FOLDER='" + printable_excerpt(*folder) + "' must be an absolute path");
   if (!is_valid_utf8(*folder) || has_control_characters(*folder))
      throw UsageError("MACHINE_FOLDER contains control characters or invalid UTF-8");
   // Kept only once loaded: a caller that caught a refusal (a planted symlink, a newer format)
   // must meet the same refusal on its next call, not an empty state.
   auto machine = std::make_unique<MachineState>(*folder, *id);
   machine->load();
   machine_ = std::move(machine);
   if (machine_->corruption())
      log().warn("the state file {} is unusable ({}); recovering by looking the workspace up",
                 machine_->path(), *machine_->corruption());
   services_.set_machine(machine_.get());
   return *machine_;
}

Backend& Session::backend() {
   if (!backend_) throw ProviderError(kExitFailure, "internal error: backend not loaded for this verb");
   return *backend_;
}

Transport& Session::transport() {
   if (!transport_) throw ProviderError(kExitFailure, "internal error: transport not loaded for this verb");
   return *transport_;
}

const PluginLibrary& Session::plugin(Role role) const {
   const std::shared_ptr<PluginLibrary>& slot = role == Role::backend     ? backend_plugin_
                                                : role == Role::transport ? transport_plugin_
                                                                          : auth_plugin_;
   if (!slot) throw ProviderError(kExitFailure, "internal error: plugin not loaded for this verb");
   return *slot;
}

Auth& Session::auth() {
   if (!auth_) throw ProviderError(kExitFailure, "internal error: auth not loaded for this verb");
   return *auth_;
}

}  // namespace dpp::core

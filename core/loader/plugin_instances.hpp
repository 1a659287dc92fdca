// Owning handles for the objects plugins make (backend, transport, auth): validated vtables,
// C++ calls that throw ProviderError with the plugin's message, destroy() on scope exit, and the
// plugin library kept loaded for as long as the object lives.
#pragma once

#include <dpp/dpp.h>

#include <memory>
#include <string>

#include "loader/host_services.hpp"
#include "loader/plugin_library.hpp"
#include "options/configuration.hpp"
#include "state/machine_state.hpp"

namespace dpp::core {

// Turns a failed plugin call into a ProviderError ("<plugin>: <message>"), with the exit code
// of its status (DPP_E_CONFIG: 2, DPP_E_CANCELLED: 130, else 1).
[[noreturn]] void throw_plugin_failure(const PluginLibrary& plugin, const char* operation, dpp_status status,
                                       dpp_error& error);

// A fresh error record for one call.
inline dpp_error make_error() {
   dpp_error error{};
   error.struct_size = sizeof error;
   return error;
}

class Backend {
 public:
   Backend(std::shared_ptr<PluginLibrary> plugin, HostServices& services, const Configuration& config);
   ~Backend();
   Backend(const Backend&) = delete;
   Backend& operator=(const Backend&) = delete;

   const PluginLibrary& plugin() const { return *plugin_; }
   dpp_status check(dpp_check_report_fn report, void* context, dpp_error& error);
   dpp_workspace_info create(const dpp_workspace_spec& spec);
   dpp_workspace_info start(const dpp_workspace_spec& spec);
   void stop(const std::string& machine_id);
   void remove(const std::string& machine_id, bool keep_volumes);
   dpp_workspace_info status(const std::string& machine_id);
   bool supports_start_stop() const { return backend_->start && backend_->stop; }

 private:
   dpp_workspace_info checked_info(dpp_workspace_info info, const char* operation) const;
   std::shared_ptr<PluginLibrary> plugin_;
   dpp_backend* backend_ = nullptr;
};

class Auth {
 public:
   Auth(std::shared_ptr<PluginLibrary> plugin, HostServices& services, const Configuration& config);
   ~Auth();
   Auth(const Auth&) = delete;
   Auth& operator=(const Auth&) = delete;

   const PluginLibrary& plugin() const { return *plugin_; }
   // Credentials of the machine set on the HostServices (its id and folder).
   void prepare(bool create_missing);
   // Pointers inside stay valid until the next call or destruction.
   dpp_workspace_auth workspace_auth();
   dpp_credentials credentials();

 private:
   std::shared_ptr<PluginLibrary> plugin_;
   dpp_auth* auth_ = nullptr;
};

class Transport {
 public:
   Transport(std::shared_ptr<PluginLibrary> plugin, HostServices& services, const Configuration& config);
   ~Transport();
   Transport(const Transport&) = delete;
   Transport& operator=(const Transport&) = delete;

   const PluginLibrary& plugin() const { return *plugin_; }
   // Returns the status (no throw): callers map DPP_E_HOST_KEY_MISMATCH etc. themselves.
   dpp_status probe(const dpp_ssh_target& target, uint32_t timeout_ms, std::string& message);
   dpp_status run(const dpp_run_request& request, dpp_run_result& result, std::string& message);
   // Async-signal-safe: forwards to the plugin's cancel().
   void cancel() noexcept;

 private:
   std::shared_ptr<PluginLibrary> plugin_;
   dpp_transport* transport_ = nullptr;
};

}  // namespace dpp::core

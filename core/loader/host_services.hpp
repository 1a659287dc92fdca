// The host side of the ABI's dpp_host table: logging, cancellation, the machine and its state,
// endpoint checks. One dpp_host per plugin, so that each plugin's state keys stay its own.
#pragma once

#include <dpp/dpp.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "state/machine_state.hpp"

namespace dpp::core {

// Answers dpp_host.check_endpoint (set by the lifecycle once a transport is loaded).
using EndpointChecker =
    std::function<dpp_status(const std::string& host, uint16_t port, const std::string& expected_host_key,
                             uint32_t timeout_ms, std::string& message)>;

class HostServices {
 public:
   HostServices();
   ~HostServices();
   HostServices(const HostServices&) = delete;
   HostServices& operator=(const HostServices&) = delete;

   // The table handed to the plugin `plugin_id`; valid as long as this object.
   const dpp_host* for_plugin(const std::string& plugin_id);

   // The machine of this invocation (nullptr for init/plugins). Not owned.
   void set_machine(MachineState* state);
   void set_endpoint_checker(EndpointChecker checker);

   // Process-wide cancellation (SIGINT/SIGTERM). Async-signal-safe to set.
   static void request_cancel() noexcept;
   static bool cancel_requested() noexcept;
   static void reset_cancel() noexcept;  // tests

 private:
   struct PluginHost;
   static const PluginHost& context(const dpp_host* host);

   // The table's functions: called by plugins, so none lets an exception out.
   static void log(const dpp_host* host, int32_t level, const char* message) noexcept;
   static bool log_enabled(const dpp_host* host, int32_t level) noexcept;
   static bool is_cancelled(const dpp_host* host) noexcept;
   static const char* machine_id(const dpp_host* host) noexcept;
   static const char* machine_folder(const dpp_host* host) noexcept;
   static dpp_status state_get(const dpp_host* host, const char* key, char* buffer, std::size_t capacity,
                               std::size_t* needed, dpp_error* error) noexcept;
   static dpp_status state_set(const dpp_host* host, const char* key, const char* value,
                               dpp_error* error) noexcept;
   static dpp_status write_machine_file(const dpp_host* host, const char* name, const void* data,
                                        std::size_t size, dpp_error* error) noexcept;
   static dpp_status read_machine_file(const dpp_host* host, const char* name, void* buffer,
                                       std::size_t capacity, std::size_t* size, dpp_error* error) noexcept;
   static dpp_status check_endpoint(const dpp_host* host, const char* hostname, uint16_t port,
                                    const char* expected_host_key, uint32_t timeout_ms,
                                    dpp_error* error) noexcept;
   static dpp_status wait_for_endpoint(const dpp_host* host, const char* hostname, uint16_t port,
                                       const char* expected_host_key, uint32_t timeout_ms,
                                       dpp_error* error) noexcept;
   // Their bodies, which may throw (the functions above turn that into a status).
   static dpp_status state_get_unguarded(const dpp_host* host, const char* key, char* buffer,
                                         std::size_t capacity, std::size_t* needed, dpp_error* error);
   static dpp_status state_set_unguarded(const dpp_host* host, const char* key, const char* value,
                                         dpp_error* error);
   static dpp_status write_machine_file_unguarded(const dpp_host* host, const char* name, const void* data,
                                                  std::size_t size, dpp_error* error);
   static dpp_status read_machine_file_unguarded(const dpp_host* host, const char* name, void* buffer,
                                                 std::size_t capacity, std::size_t* size, dpp_error* error);
   static dpp_status check_endpoint_unguarded(const dpp_host* host, const char* hostname, uint16_t port,
                                              const char* expected_host_key, uint32_t timeout_ms,
                                              dpp_error* error);
   static dpp_status wait_for_endpoint_unguarded(const dpp_host* host, const char* hostname, uint16_t port,
                                                 const char* expected_host_key, uint32_t timeout_ms,
                                                 dpp_error* error);

   std::map<std::string, std::unique_ptr<PluginHost>> hosts_;
   MachineState* machine_ = nullptr;
   std::string machine_id_;
   std::string machine_folder_;
   EndpointChecker checker_;

   static std::atomic<bool> cancelled_;
};

}  // namespace dpp::core

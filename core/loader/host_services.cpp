// Implements the dpp_host table for plugins.
#include "loader/host_services.hpp"

#include <dpp/cpp/startup_retry.hpp>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>

#include "errors.hpp"
#include "logging/logging.hpp"
#include "util/files.hpp"
#include "util/text.hpp"

namespace dpp::core {

std::atomic<bool> HostServices::cancelled_{false};

struct HostServices::PluginHost {
   dpp_host table{};
   HostServices* owner = nullptr;
   std::string plugin_id;
};

namespace {

constexpr std::size_t kMaxLogLine = 16 * 1024;
constexpr std::size_t kMaxStateValue = 64 * 1024;

bool is_state_key(const char* key) {
   if (!key) return false;
   const std::size_t length = strnlen(key, 65);
   if (length == 0 || length > 64) return false;
   for (std::size_t i = 0; i < length; ++i) {
      const char c = key[i];
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
         return false;
   }
   return true;
}

// A plugin's log text: bounded, valid UTF-8, control characters shown escaped so that a
// plugin cannot forge extra log lines.
std::string sanitize_log_text(const char* message) {
   if (!message) return {};
   const std::size_t length = strnlen(message, kMaxLogLine + 1);
   std::string text(message, std::min(length, kMaxLogLine));
   bool clean = is_valid_utf8(text);
   for (char c : text)
      if (c == '\n' || c == '\r' || (static_cast<unsigned char>(c) < 0x20 && c != '\t')) clean = false;
   return clean ? text : printable_excerpt(text, kMaxLogLine);
}

constexpr std::size_t kMaxMachineFile = 1 << 20;

bool is_machine_file_name(const char* name) {
   if (!name) return false;
   const std::size_t length = strnlen(name, 65);
   if (length == 0 || length > 64) return false;
   const char first = name[0];
   if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || (first >= '0' && first <= '9') ||
         first == '_'))
      return false;
   for (std::size_t i = 0; i < length; ++i) {
      const char c = name[i];
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
            c == '.' || c == '-'))
         return false;
   }
   return true;
}

// What wait_for_endpoint retries: nothing usable answers yet, but a starting server might.
bool worth_waiting_for(dpp_status status) {
   return status == DPP_E_CONNECT || status == DPP_E_TIMEOUT || status == DPP_E_PROTOCOL ||
          status == DPP_E_CONNECTION_LOST;
}

// Sleeps until `until`, checking the user's stop request at least every 100 ms.
bool sleep_unless_cancelled(std::chrono::steady_clock::time_point until) {
   while (std::chrono::steady_clock::now() < until) {
      if (HostServices::cancel_requested()) return false;
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
          until - std::chrono::steady_clock::now(), std::chrono::milliseconds(100)));
   }
   return !HostServices::cancel_requested();
}

// Hands a failure's detail to the plugin's error record. A record without struct_size cannot
// take it (dpp_error_set would drop it in silence): the host then says so, with the message.
dpp_status deliver(const std::string& plugin_id, dpp_status status, const dpp_error& detail,
                   dpp_error* error) noexcept {
   if (status == DPP_OK || !error) return status;
   if (error->struct_size >= sizeof(dpp_error)) return dpp_error_set(error, status, detail.message);
   try {
      core::log().warn(
          "{}: the dpp_error it passed has struct_size {} instead of {}, so it gets no message; "
          "initialise it with DPP_ERROR_INIT. The message: {}",
          plugin_id, error->struct_size, sizeof(dpp_error), sanitize_log_text(detail.message));
   } catch (...) {
   }
   return status;
}

// Runs the body of one fallible table function: every exception becomes DPP_E_INTERNAL (the ABI
// is C), and the detail reaches the plugin through deliver().
template <typename Body>
dpp_status serve(const std::string& plugin_id, dpp_error* error, Body&& body) noexcept {
   dpp_error detail{};
   detail.struct_size = sizeof detail;
   dpp_status status;
   try {
      status = body(&detail);
   } catch (const std::exception& e) {
      status = dpp_error_set(&detail, DPP_E_INTERNAL, e.what());
   } catch (...) {
      status = dpp_error_set(&detail, DPP_E_INTERNAL, "internal error in the host");
   }
   return deliver(plugin_id, status, detail, error);
}

std::string endpoint_name(const std::string& host, uint16_t port) {
   const bool ipv6 = host.find(':') != std::string::npos;
   return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace

HostServices::HostServices() = default;
HostServices::~HostServices() = default;

const dpp_host* HostServices::for_plugin(const std::string& plugin_id) {
   auto& slot = hosts_[plugin_id];
   if (!slot) {
      slot = std::make_unique<PluginHost>();
      slot->owner = this;
      slot->plugin_id = plugin_id;
      dpp_host& t = slot->table;
      t.struct_size = sizeof(dpp_host);
      t.abi_version = DPP_ABI_VERSION_INIT;
      t.name = "dokploy-provider";
      t.version = DPP_PROVIDER_VERSION;
      t.host_data = slot.get();
      t.log = &HostServices::log;
      t.log_enabled = &HostServices::log_enabled;
      t.is_cancelled = &HostServices::is_cancelled;
      t.machine_id = &HostServices::machine_id;
      t.machine_folder = &HostServices::machine_folder;
      t.state_get = &HostServices::state_get;
      t.state_set = &HostServices::state_set;
      t.check_endpoint = &HostServices::check_endpoint;
      t.write_machine_file = &HostServices::write_machine_file;
      t.read_machine_file = &HostServices::read_machine_file;
      t.wait_for_endpoint = &HostServices::wait_for_endpoint;
   }
   return &slot->table;
}

void HostServices::set_machine(MachineState* state) {
   machine_ = state;
   machine_id_ = state ? state->machine_id() : "";
   machine_folder_ = state ? state->folder() : "";
}

void HostServices::set_endpoint_checker(EndpointChecker checker) {
   checker_ = std::move(checker);
}

void HostServices::request_cancel() noexcept {
   cancelled_.store(true, std::memory_order_relaxed);
}
bool HostServices::cancel_requested() noexcept {
   return cancelled_.load(std::memory_order_relaxed);
}
void HostServices::reset_cancel() noexcept {
   cancelled_.store(false);
}

const HostServices::PluginHost& HostServices::context(const dpp_host* host) {
   return *static_cast<const PluginHost*>(host->host_data);
}

// Every function of the table is called from plugin code: none may let an exception reach it
// (the ABI is C), so each turns one into an error status (or drops the log line).

void HostServices::log(const dpp_host* host, int32_t level, const char* message) noexcept {
   if (!host) return;
   if (level < DPP_LOG_TRACE) level = DPP_LOG_TRACE;
   if (level > DPP_LOG_CRITICAL) level = DPP_LOG_CRITICAL;
   const auto spd_level = static_cast<spdlog::level::level_enum>(level);
   try {
      if (!core::log().should_log(spd_level)) return;
      core::log_from(context(host).plugin_id, level, sanitize_log_text(message));
   } catch (...) {
   }
}

bool HostServices::log_enabled(const dpp_host*, int32_t level) noexcept {
   return core::log().should_log(
       static_cast<spdlog::level::level_enum>(std::clamp<int32_t>(level, DPP_LOG_TRACE, DPP_LOG_CRITICAL)));
}

bool HostServices::is_cancelled(const dpp_host*) noexcept {
   return cancel_requested();
}

const char* HostServices::machine_id(const dpp_host* host) noexcept {
   const auto* owner = context(host).owner;
   return owner->machine_ ? owner->machine_id_.c_str() : nullptr;
}

const char* HostServices::machine_folder(const dpp_host* host) noexcept {
   const auto* owner = context(host).owner;
   return owner->machine_ ? owner->machine_folder_.c_str() : nullptr;
}

dpp_status HostServices::state_get(const dpp_host* host, const char* key, char* buffer, std::size_t capacity,
                                   std::size_t* needed, dpp_error* error) noexcept {
   return serve(context(host).plugin_id, error, [&](dpp_error* detail) {
      return state_get_unguarded(host, key, buffer, capacity, needed, detail);
   });
}

dpp_status HostServices::state_get_unguarded(const dpp_host* host, const char* key, char* buffer,
                                             std::size_t capacity, std::size_t* needed, dpp_error* error) {
   const PluginHost& ctx = context(host);
   if (!ctx.owner->machine_) return dpp_error_set(error, DPP_E_UNSUPPORTED, "no machine in this invocation");
   if (!is_state_key(key))
      return dpp_error_set(error, DPP_E_INVALID_ARGUMENT, "state keys are [a-z0-9_.-]{1,64}");
   auto value = ctx.owner->machine_->plugin_value(ctx.plugin_id, key);
   if (!value)
      return dpp_error_set(error, DPP_E_NOT_FOUND,
                           ("the machine state has no '" + std::string(key) + "'").c_str());
   if (needed) *needed = value->size() + 1;
   if (!buffer || capacity < value->size() + 1)
      return dpp_error_set(
          error, DPP_E_BUFFER_TOO_SMALL,
          ("the value of '" + std::string(key) + "' needs " + std::to_string(value->size() + 1) + " bytes")
              .c_str());
   std::memcpy(buffer, value->c_str(), value->size() + 1);
   return DPP_OK;
}

dpp_status HostServices::state_set(const dpp_host* host, const char* key, const char* value,
                                   dpp_error* error) noexcept {
   return serve(context(host).plugin_id, error,
                [&](dpp_error* detail) { return state_set_unguarded(host, key, value, detail); });
}

dpp_status HostServices::state_set_unguarded(const dpp_host* host, const char* key, const char* value,
                                             dpp_error* error) {
   const PluginHost& ctx = context(host);
   if (!ctx.owner->machine_) return dpp_error_set(error, DPP_E_UNSUPPORTED, "no machine in this invocation");
   if (!is_state_key(key))
      return dpp_error_set(error, DPP_E_INVALID_ARGUMENT, "state keys are [a-z0-9_.-]{1,64}");
   std::optional<std::string> copy;
   if (value) {
      const std::size_t length = strnlen(value, kMaxStateValue + 1);
      if (length > kMaxStateValue)
         return dpp_error_set(error, DPP_E_INVALID_ARGUMENT, "state values are at most 64 KiB");
      copy = std::string(value, length);
      if (!is_valid_utf8(*copy))
         return dpp_error_set(error, DPP_E_INVALID_ARGUMENT, "state values must be UTF-8");
   }
   MachineState& state = *ctx.owner->machine_;
   const auto previous = state.plugin_value(ctx.plugin_id, key);
   if (previous == copy) return DPP_OK;  // unchanged: spare the disk write
   state.set_plugin_value(ctx.plugin_id, key, copy);
   try {
      state.save();
   } catch (const std::exception& e) {
      state.set_plugin_value(ctx.plugin_id, key, previous);
      return dpp_error_set(error, DPP_E_IO, e.what());
   }
   return DPP_OK;
}

dpp_status HostServices::write_machine_file(const dpp_host* host, const char* name, const void* data,
                                            std::size_t size, dpp_error* error) noexcept {
   return serve(context(host).plugin_id, error, [&](dpp_error* detail) {
      return write_machine_file_unguarded(host, name, data, size, detail);
   });
}

dpp_status HostServices::write_machine_file_unguarded(const dpp_host* host, const char* name,
                                                      const void* data, std::size_t size, dpp_error* error) {
   const PluginHost& ctx = context(host);
   if (!ctx.owner->machine_) return dpp_error_set(error, DPP_E_UNSUPPORTED, "no machine in this invocation");
   if (!is_machine_file_name(name))
      return dpp_error_set(error, DPP_E_INVALID_ARGUMENT, "machine file names are plain names without '/'");
   if (size > kMaxMachineFile || (size > 0 && !data))
      return dpp_error_set(error, DPP_E_INVALID_ARGUMENT, "machine files are at most 1 MiB");
   try {
      ensure_private_folder(ctx.owner->machine_folder_);
      write_file_atomically(ctx.owner->machine_folder_ + "/" + name,
                            std::string_view(static_cast<const char*>(data), size));
   } catch (const std::exception& e) {
      return dpp_error_set(error, DPP_E_IO, e.what());
   }
   return DPP_OK;
}

dpp_status HostServices::read_machine_file(const dpp_host* host, const char* name, void* buffer,
                                           std::size_t capacity, std::size_t* size,
                                           dpp_error* error) noexcept {
   return serve(context(host).plugin_id, error, [&](dpp_error* detail) {
      return read_machine_file_unguarded(host, name, buffer, capacity, size, detail);
   });
}

dpp_status HostServices::read_machine_file_unguarded(const dpp_host* host, const char* name, void* buffer,
                                                     std::size_t capacity, std::size_t* size,
                                                     dpp_error* error) {
   const PluginHost& ctx = context(host);
   if (!ctx.owner->machine_) return dpp_error_set(error, DPP_E_UNSUPPORTED, "no machine in this invocation");
   if (!is_machine_file_name(name))
      return dpp_error_set(error, DPP_E_INVALID_ARGUMENT, "machine file names are plain names without '/'");
   std::optional<std::string> content;
   try {
      content = read_private_file(ctx.owner->machine_folder_ + "/" + name, kMaxMachineFile);
   } catch (const std::exception& e) {
      return dpp_error_set(error, DPP_E_IO, e.what());
   }
   if (!content) return DPP_E_NOT_FOUND;
   if (size) *size = content->size();
   if (content->size() > capacity || (!buffer && !content->empty())) return DPP_E_BUFFER_TOO_SMALL;
   if (!content->empty()) std::memcpy(buffer, content->data(), content->size());
   return DPP_OK;
}

dpp_status HostServices::check_endpoint(const dpp_host* host, const char* hostname, uint16_t port,
                                        const char* expected_host_key, uint32_t timeout_ms,
                                        dpp_error* error) noexcept {
   return serve(context(host).plugin_id, error, [&](dpp_error* detail) {
      return check_endpoint_unguarded(host, hostname, port, expected_host_key, timeout_ms, detail);
   });
}

dpp_status HostServices::check_endpoint_unguarded(const dpp_host* host, const char* hostname, uint16_t port,
                                                  const char* expected_host_key, uint32_t timeout_ms,
                                                  dpp_error* error) {
   const PluginHost& ctx = context(host);
   if (!ctx.owner->checker_)
      return dpp_error_set(error, DPP_E_UNSUPPORTED, "no SSH transport is loaded in this invocation");
   if (!hostname || !*hostname || port == 0)
      return dpp_error_set(error, DPP_E_INVALID_ARGUMENT, "check_endpoint needs a host and a port");
   std::string message;
   const dpp_status status =
       ctx.owner->checker_(hostname, port, expected_host_key ? expected_host_key : "", timeout_ms, message);
   if (status != DPP_OK) dpp_error_set(error, status, message.c_str());
   return status;
}

dpp_status HostServices::wait_for_endpoint(const dpp_host* host, const char* hostname, uint16_t port,
                                           const char* expected_host_key, uint32_t timeout_ms,
                                           dpp_error* error) noexcept {
   return serve(context(host).plugin_id, error, [&](dpp_error* detail) {
      return wait_for_endpoint_unguarded(host, hostname, port, expected_host_key, timeout_ms, detail);
   });
}

dpp_status HostServices::wait_for_endpoint_unguarded(const dpp_host* host, const char* hostname,
                                                     uint16_t port, const char* expected_host_key,
                                                     uint32_t timeout_ms, dpp_error* error) {
   using Clock = std::chrono::steady_clock;
   const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
   const std::string where = hostname ? endpoint_name(hostname, port) : "";
   const auto attempt = [&]() -> std::optional<sdk::AttemptFailure> {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      dpp_error detail{};
      detail.struct_size = sizeof detail;
      const dpp_status status =
          check_endpoint_unguarded(host, hostname, port, expected_host_key,
                                   static_cast<uint32_t>(std::max<int64_t>(left.count(), 1)), &detail);
      if (status == DPP_OK) return std::nullopt;
      return sdk::AttemptFailure{status, detail.message, worth_waiting_for(status)};
   };
   const sdk::RetryHooks hooks{[](const std::string& line) { core::log().debug("{}", line); },
                               &sleep_unless_cancelled};
   const auto failure = sdk::retry_while_starting(where, deadline, attempt, hooks);
   if (!failure) return DPP_OK;
   return dpp_error_set(error, failure->status, failure->message.c_str());
}

}  // namespace dpp::core

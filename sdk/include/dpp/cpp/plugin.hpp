// Header-only C++20 helper for plugin authors: write a class, get the C ABI vtables, noexcept
// shims, exception-to-status translation and logging through the host. Depends only on the C
// headers of the SDK and the standard library. One error style throughout: whatever fails throws
// dpp::sdk::Error (a status and a message), whatever may be absent is a std::optional.
//
// A backend plugin in full:
//
//   class MyBackend final : public dpp::sdk::Backend {
//    public:
//      MyBackend(dpp::sdk::Host host, const dpp::sdk::Options& options);
//      void check(dpp::sdk::CheckReport& report) override;
//      dpp::sdk::WorkspaceInfo create(const dpp::sdk::WorkspaceSpec& spec) override;
//      void remove(const std::string& machine_id, bool keep_volumes) override;
//      dpp::sdk::WorkspaceInfo status(const std::string& machine_id) override;
//   };
//   struct MyPlugin {
//      static constexpr const char* id = "com.example.mine";
//      static constexpr const char* version = "1.0.0";
//      static constexpr const char* description = "Workspaces on my platform";
//      static std::span<const dpp_option_desc> options() {               // optional
//         static constexpr dpp_option_desc all[] = {
//            dpp::sdk::option("MINE_URL", "Where my platform is.").of_type(DPP_OPTION_URL).required(),
//         };
//         return all;
//      }
//      using backend = MyBackend;                                        // and/or transport, auth
//   };
//   DPP_SDK_EXPORT_PLUGIN(MyPlugin)
//
// The shims that turn these classes into the C ABI are in dpp/cpp/detail/ (internal).
#ifndef DPP_CPP_PLUGIN_HPP
#define DPP_CPP_PLUGIN_HPP

#include <dpp/dpp.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dpp::sdk {

// ---------------------------------------------------------------------------------------------
// Errors: throw dpp::sdk::Error anywhere in a plugin; the shims turn it into a status + message.

class Error : public std::runtime_error {
 public:
   Error(dpp_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
   dpp_status status() const noexcept { return status_; }

 private:
   dpp_status status_;
};

// ---------------------------------------------------------------------------------------------
// The host's services, as a cheap copyable handle. A service the host does not offer throws
// Error(DPP_E_UNSUPPORTED); logging and cancellation quietly do nothing instead.

class Host {
 public:
   explicit Host(const dpp_host* host = nullptr) noexcept : host_(host) {}

   const dpp_host* raw() const noexcept { return host_; }

   // Every call into the table is guarded by DPP_HOST_HAS: the member is within the host's
   // struct_size and not NULL, whichever ABI minor introduced it.
   bool log_enabled(int32_t level) const noexcept {
      if (!DPP_HOST_HAS(host_, log)) return false;
      return DPP_HOST_HAS(host_, log_enabled) ? host_->log_enabled(host_, level) : true;
   }
   void log(int32_t level, const std::string& message) const noexcept {
      if (DPP_HOST_HAS(host_, log)) host_->log(host_, level, message.c_str());
   }
   // host.info("deployed ", name, " in ", seconds, " s"): arguments are streamed, and not even
   // formatted when the level is off.
   template <typename... Parts>
   void trace(const Parts&... parts) const {
      write(DPP_LOG_TRACE, parts...);
   }
   template <typename... Parts>
   void debug(const Parts&... parts) const {
      write(DPP_LOG_DEBUG, parts...);
   }
   template <typename... Parts>
   void info(const Parts&... parts) const {
      write(DPP_LOG_INFO, parts...);
   }
   template <typename... Parts>
   void warn(const Parts&... parts) const {
      write(DPP_LOG_WARN, parts...);
   }
   template <typename... Parts>
   void error(const Parts&... parts) const {
      write(DPP_LOG_ERROR, parts...);
   }

   bool cancelled() const noexcept { return DPP_HOST_HAS(host_, is_cancelled) && host_->is_cancelled(host_); }
   // Throws Error(DPP_E_CANCELLED) once the user asked to stop.
   void throw_if_cancelled() const {
      if (cancelled()) throw Error(DPP_E_CANCELLED, "cancelled by the user");
   }

   // "" when the invocation has no machine (init, plugins).
   std::string machine_id() const {
      return text(DPP_HOST_HAS(host_, machine_id) ? host_->machine_id(host_) : nullptr);
   }
   std::string machine_folder() const {
      return text(DPP_HOST_HAS(host_, machine_folder) ? host_->machine_folder(host_) : nullptr);
   }

   // This plugin's value of `key` in the machine's state, or nullopt when it is unset.
   std::optional<std::string> state_get(const std::string& key) const {
      if (!DPP_HOST_HAS(host_, state_get)) throw Error(DPP_E_UNSUPPORTED, "this host keeps no machine state");
      std::string buffer(256, '\0');
      for (int attempt = 0; attempt < 2; ++attempt) {
         std::size_t needed = 0;
         dpp_error error = fresh_error();
         dpp_status status =
             host_->state_get(host_, key.c_str(), buffer.data(), buffer.size(), &needed, &error);
         if (status == DPP_OK) {
            buffer.resize(std::strlen(buffer.c_str()));
            return buffer;
         }
         if (status == DPP_E_NOT_FOUND) return std::nullopt;
         if (status != DPP_E_BUFFER_TOO_SMALL || needed <= buffer.size())
            throw Error(status, "cannot read '" + key + "' from the machine state: " + error.message);
         buffer.assign(needed, '\0');
      }
      throw Error(DPP_E_INTERNAL, "machine state value '" + key + "' keeps growing");
   }
   // Stores `value` (nullopt removes the key); on disk when it returns.
   void state_set(const std::string& key, const std::optional<std::string>& value) const {
      if (!DPP_HOST_HAS(host_, state_set)) throw Error(DPP_E_UNSUPPORTED, "this host keeps no machine state");
      dpp_error error = fresh_error();
      dpp_status status = host_->state_set(host_, key.c_str(), value ? value->c_str() : nullptr, &error);
      if (status != DPP_OK) throw Error(status, error.message);
   }

   // Private machine files (see dpp_host.write_machine_file): 0600, atomic, no symlinks.
   void write_machine_file(const std::string& name, std::string_view data) const {
      if (!DPP_HOST_HAS(host_, write_machine_file))
         throw Error(DPP_E_UNSUPPORTED, "this host cannot keep machine files");
      dpp_error error = fresh_error();
      const dpp_status status =
          host_->write_machine_file(host_, name.c_str(), data.data(), data.size(), &error);
      if (status != DPP_OK) throw Error(status, error.message);
   }
   // The file's content, or nullopt when it does not exist.
   std::optional<std::string> read_machine_file(const std::string& name) const {
      if (!DPP_HOST_HAS(host_, read_machine_file))
         throw Error(DPP_E_UNSUPPORTED, "this host cannot keep machine files");
      std::string buffer(4096, '\0');
      for (int attempt = 0; attempt < 3; ++attempt) {
         dpp_error error = fresh_error();
         std::size_t size = 0;
         const dpp_status status =
             host_->read_machine_file(host_, name.c_str(), buffer.data(), buffer.size(), &size, &error);
         if (status == DPP_OK) {
            buffer.resize(size);
            return buffer;
         }
         if (status == DPP_E_NOT_FOUND) return std::nullopt;
         if (status != DPP_E_BUFFER_TOO_SMALL) throw Error(status, error.message);
         buffer.assign(size, '\0');
      }
      throw Error(DPP_E_IO, "machine file '" + name + "' keeps growing");
   }

   // Returns once an SSH server at hostname:port has shown the expected host key (empty: this
   // machine's own workspace key) in one key exchange; throws Error otherwise, whose status says
   // what answered: DPP_E_HOST_KEY_MISMATCH (another server owns the port), DPP_E_CONNECT,
   // DPP_E_TIMEOUT… (see dpp_host.check_endpoint), DPP_E_UNSUPPORTED (no transport loaded).
   void check_endpoint(const std::string& hostname, uint16_t port, const std::string& expected_host_key,
                       uint32_t timeout_ms) const {
      ask_endpoint(DPP_HOST_HAS(host_, check_endpoint) ? host_->check_endpoint : nullptr,
                   "this host cannot check SSH endpoints", hostname, port, expected_host_key, timeout_ms);
   }
   // Like check_endpoint, but waits up to timeout_ms while the server is still starting (see
   // dpp_host.wait_for_endpoint): what create() and start() call once the platform says the
   // workspace runs.
   void wait_for_endpoint(const std::string& hostname, uint16_t port, const std::string& expected_host_key,
                          uint32_t timeout_ms) const {
      ask_endpoint(DPP_HOST_HAS(host_, wait_for_endpoint) ? host_->wait_for_endpoint : nullptr,
                   "this host cannot wait for SSH endpoints", hostname, port, expected_host_key, timeout_ms);
   }

 private:
   using EndpointService = dpp_status (*)(const dpp_host*, const char*, uint16_t, const char*, uint32_t,
                                          dpp_error*);

   static dpp_error fresh_error() noexcept {
      dpp_error error{};
      error.struct_size = sizeof error;
      return error;
   }
   static std::string text(const char* value) { return value ? std::string(value) : std::string(); }

   void ask_endpoint(EndpointService service, const char* missing, const std::string& hostname, uint16_t port,
                     const std::string& expected_host_key, uint32_t timeout_ms) const {
      if (!service) throw Error(DPP_E_UNSUPPORTED, missing);
      dpp_error error = fresh_error();
      const dpp_status status =
          service(host_, hostname.c_str(), port,
                  expected_host_key.empty() ? nullptr : expected_host_key.c_str(), timeout_ms, &error);
      if (status != DPP_OK) throw Error(status, error.message[0] ? error.message : dpp_strerror(status));
   }

   template <typename... Parts>
   void write(int32_t level, const Parts&... parts) const {
      if (!log_enabled(level)) return;
      std::ostringstream out;
      (out << ... << parts);
      log(level, out.str());
   }

   const dpp_host* host_;
};

// The host handed to init(), for code that has no Host at hand (static helpers, callbacks).
Host global_host() noexcept;

// ---------------------------------------------------------------------------------------------
// Options: the validated values the host passed, by name.

class Options {
 public:
   Options() = default;
   explicit Options(const dpp_options* options) {
      if (!options) return;
      for (uint32_t i = 0; i < options->count; ++i) {
         const dpp_option_value& item = options->items[i];
         if (item.name && item.value) values_[item.name] = item.value;
      }
   }

   bool has(const std::string& name) const { return values_.count(name) != 0; }
   std::optional<std::string> get(const std::string& name) const {
      auto it = values_.find(name);
      if (it == values_.end()) return std::nullopt;
      return it->second;
   }
   std::string get_or(const std::string& name, const std::string& fallback) const {
      return get(name).value_or(fallback);
   }
   // For required options: the host has already refused a missing one, so absence is a bug.
   std::string require(const std::string& name) const {
      auto value = get(name);
      if (!value) throw Error(DPP_E_CONFIG, name + " is not set");
      return *value;
   }
   // Canonical forms (see option.h): booleans are "true"/"false", sizes bytes, durations ms,
   // ports plain digits.
   bool get_bool(const std::string& name, bool fallback) const {
      auto value = get(name);
      return value ? *value == "true" : fallback;
   }
   uint64_t get_u64(const std::string& name, uint64_t fallback) const {
      auto value = get(name);
      if (!value) return fallback;
      try {
         return std::stoull(*value);
      } catch (const std::exception&) {
         throw Error(DPP_E_CONFIG, name + " is not a whole number");
      }
   }

 private:
   std::map<std::string, std::string> values_;
};

// An option declaration, built by naming what differs from a plain optional string:
//   static constexpr dpp_option_desc all[] = {
//      sdk::option("HELLO_ADDRESS", "Where the machines answer SSH.").of_type(DPP_OPTION_HOST).required(),
//      sdk::option("HELLO_MODE", "How to say hello.").one_of("short|long").defaults_to("short"),
//   };
class OptionDeclaration {
 public:
   constexpr OptionDeclaration(const char* name, const char* description) noexcept
       : desc_{sizeof(dpp_option_desc), name, description, nullptr, DPP_OPTION_STRING, 0, nullptr, nullptr} {}

   // One of the DPP_OPTION_* types; for DPP_OPTION_ENUM use one_of().
   constexpr OptionDeclaration of_type(int32_t type) const noexcept {
      return with([&](auto& d) { d.type = type; });
   }
   // The allowed values, separated by '|' ("compose|application"); makes it an enum.
   constexpr OptionDeclaration one_of(const char* values) const noexcept {
      return with([&](auto& d) {
         d.type = DPP_OPTION_ENUM;
         d.enum_values = values;
      });
   }
   // The value used when the variable is unset, in the input syntax of the type.
   constexpr OptionDeclaration defaults_to(const char* value) const noexcept {
      return with([&](auto& d) { d.default_value = value; });
   }
   constexpr OptionDeclaration required() const noexcept {
      return with([](auto& d) { d.flags |= DPP_OPTION_REQUIRED; });
   }
   // A token or password: the host never prints, logs or echoes it.
   constexpr OptionDeclaration secret() const noexcept {
      return with([](auto& d) { d.flags |= DPP_OPTION_SECRET; });
   }
   // "connection", "workspace", "ssh" or "advanced" (the default).
   constexpr OptionDeclaration in_group(const char* group) const noexcept {
      return with([&](auto& d) { d.group = group; });
   }

   constexpr operator dpp_option_desc() const noexcept { return desc_; }

 private:
   template <typename Change>
   constexpr OptionDeclaration with(Change change) const noexcept {
      OptionDeclaration copy = *this;
      change(copy.desc_);
      return copy;
   }
   dpp_option_desc desc_;
};

// The name (an environment variable, [A-Z][A-Z0-9_]*) and one sentence for people.
constexpr OptionDeclaration option(const char* name, const char* description) noexcept {
   return OptionDeclaration(name, description);
}

// ---------------------------------------------------------------------------------------------
// Value types of the three capabilities: owning copies of the C structs.

struct WorkspaceVolume {
   std::string name;
   std::string mount_path;
};

struct WorkspaceSpec {
   std::string machine_id;
   std::string image;
   std::vector<std::string> command;  // the bootstrap: run it as the container's entrypoint
   std::vector<std::pair<std::string, std::string>> env;  // the bootstrap environment (DPP_ENV_*)
   uint16_t ssh_port = 0;
   std::vector<WorkspaceVolume> volumes;
   uint64_t memory_limit_bytes = 0;
   uint64_t cpu_limit_millis = 0;
   uint32_t flags = 0;
   uint32_t timeout_ms = 0;

   bool privileged() const { return (flags & DPP_WORKSPACE_PRIVILEGED) != 0; }
   bool keep_failed() const { return (flags & DPP_WORKSPACE_KEEP_FAILED) != 0; }
   // The value of the environment variable `name` (DPP_ENV_SSH_AUTHORIZED_KEY…), if set.
   std::optional<std::string> env_value(std::string_view name) const {
      for (const auto& [key, value] : env)
         if (key == name) return value;
      return std::nullopt;
   }
};

struct WorkspaceInfo {
   int32_t state = DPP_WORKSPACE_NOT_FOUND;
   std::string ssh_host;
   uint16_t ssh_port = 0;
   std::string ssh_user;      // empty: the auth plugin's user
   std::string ssh_host_key;  // empty: this machine's injected workspace host key
   std::string detail;
};

// Collects check() results; `fail` also remembers the first failure for the return status.
class CheckReport {
 public:
   CheckReport(dpp_check_report_fn report, void* context) : report_(report), context_(context) {}
   void pass(const std::string& name, const std::string& message) {
      emit(name, DPP_CHECK_PASS, message, nullptr);
   }
   void warn(const std::string& name, const std::string& message, const std::string& fix) {
      emit(name, DPP_CHECK_WARN, message, fix.c_str());
   }
   void skip(const std::string& name, const std::string& message) {
      emit(name, DPP_CHECK_SKIP, message, nullptr);
   }
   void fail(const std::string& name, const std::string& message, const std::string& fix, dpp_status status) {
      emit(name, DPP_CHECK_FAIL, message, fix.c_str());
      if (first_failure_ == DPP_OK) {
         first_failure_ = status == DPP_OK ? DPP_E_INTERNAL : status;
         first_message_ = name + ": " + message;
      }
   }
   dpp_status first_failure() const { return first_failure_; }
   const std::string& first_message() const { return first_message_; }

 private:
   void emit(const std::string& name, int32_t result, const std::string& message, const char* fix) {
      if (report_) report_(context_, name.c_str(), result, message.c_str(), fix);
   }
   dpp_check_report_fn report_;
   void* context_;
   dpp_status first_failure_ = DPP_OK;
   std::string first_message_;
};

struct Credentials {
   int32_t kind = DPP_CREDENTIAL_PRIVATE_KEY;
   std::string user;
   std::string private_key_file;
   std::string public_key_file;
   std::string password;  // secret: the shims wipe their copy

   ~Credentials() { wipe(password); }
   Credentials() = default;
   Credentials(const Credentials&) = default;
   Credentials& operator=(const Credentials&) = default;

   static void wipe(std::string& secret) noexcept {
      volatile char* p = secret.data();
      for (std::size_t i = 0; i < secret.size(); ++i) p[i] = 0;
      secret.clear();
   }
};

struct SshTarget {
   std::string host;
   uint16_t port = 0;
   std::string host_key;
   Credentials credentials;
   uint32_t connect_timeout_ms = 0;
};

struct RunRequest {
   SshTarget target;
   std::string command;
   int stdin_fd = 0;
   int stdout_fd = 1;
   int stderr_fd = 2;
};

struct RunResult {
   int32_t exit_code = 0;
   std::string exit_signal;  // "KILL", or empty
};

struct WorkspaceAuth {
   std::string user;
   std::string authorized_key;
   std::string password_hash;
   std::string host_private_key_base64;  // secret-ish: the platform stores it, logs must not
   std::string host_public_key;
};

// ---------------------------------------------------------------------------------------------
// The three interfaces a plugin author implements. Every method may throw Error.

class Backend {
 public:
   virtual ~Backend() = default;
   virtual void check(CheckReport& report) = 0;
   virtual WorkspaceInfo create(const WorkspaceSpec& spec) = 0;
   virtual WorkspaceInfo start(const WorkspaceSpec&) {
      throw Error(DPP_E_UNSUPPORTED, "start is not supported by this backend");
   }
   virtual void stop(const std::string&) {
      throw Error(DPP_E_UNSUPPORTED, "stop is not supported by this backend");
   }
   virtual void remove(const std::string& machine_id, bool keep_volumes) = 0;
   virtual WorkspaceInfo status(const std::string& machine_id) = 0;
};

class Transport {
 public:
   virtual ~Transport() = default;
   virtual void probe(const SshTarget& target, uint32_t timeout_ms) = 0;
   virtual RunResult run(const RunRequest& request) = 0;
   // Called from any thread or a signal handler: only async-signal-safe work (an atomic store,
   // a write(2) to a pipe).
   virtual void cancel() noexcept = 0;
};

class Auth {
 public:
   virtual ~Auth() = default;
   // The host's machine: host.machine_id(), its files through host.read_machine_file().
   virtual void prepare(bool create) = 0;
   virtual WorkspaceAuth workspace_auth() = 0;
   virtual Credentials credentials() = 0;
};

}  // namespace dpp::sdk

#include <dpp/cpp/detail/shims.hpp>

// Defines the one exported symbol of the library for the plugin description `Plugin`.
#define DPP_SDK_EXPORT_PLUGIN(Plugin)                                                            \
   extern "C" DPP_EXPORT const dpp_plugin_entry* dpp_get_plugin_entry(uint32_t host_abi_major,   \
                                                                      uint32_t host_abi_minor) { \
      return ::dpp::sdk::detail::Entry<Plugin>::get(host_abi_major, host_abi_minor);             \
   }

#endif  // DPP_CPP_PLUGIN_HPP

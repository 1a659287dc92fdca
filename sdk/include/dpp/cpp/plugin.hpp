// Header-only C++20 helper for plugin authors: write a class, get the C ABI vtables, noexcept
// shims, exception-to-status translation and logging through the host. Depends only on the C
// headers of the SDK and the standard library.
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
//      static std::span<const dpp_option_desc> options();   // optional
//      using backend = MyBackend;                           // and/or transport, auth
//   };
//   DPP_SDK_EXPORT_PLUGIN(MyPlugin)
#ifndef DPP_CPP_PLUGIN_HPP
#define DPP_CPP_PLUGIN_HPP

#include <dpp/dpp.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
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

namespace detail {

// Runs `body` and turns every exception into a status and a message: nothing crosses the ABI.
template <typename Body>
dpp_status guarded(dpp_error* error, Body&& body) noexcept {
   try {
      body();
      return DPP_OK;
   } catch (const Error& e) {
      return dpp_error_set(error, e.status() == DPP_OK ? DPP_E_INTERNAL : e.status(), e.what());
   } catch (const std::bad_alloc&) {
      return dpp_error_set(error, DPP_E_INTERNAL, "out of memory");
   } catch (const std::exception& e) {
      std::string message = std::string("internal error: ") + e.what();
      return dpp_error_set(error, DPP_E_INTERNAL, message.c_str());
   } catch (...) {
      return dpp_error_set(error, DPP_E_INTERNAL, "internal error: unknown exception");
   }
}

// Copies `text` into a fixed buffer, cut at a UTF-8 boundary.
template <std::size_t N>
void copy_to(char (&buffer)[N], std::string_view text) noexcept {
   std::size_t length = text.size() < N ? text.size() : N - 1;
   while (length > 0 && length < text.size() && (static_cast<unsigned char>(text[length]) & 0xC0) == 0x80)
      --length;
   std::memcpy(buffer, text.data(), length);
   buffer[length] = '\0';
}

inline std::string or_empty(const char* text) {
   return text ? std::string(text) : std::string();
}

}  // namespace detail

// ---------------------------------------------------------------------------------------------
// The host's services, as a cheap copyable handle.

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

   std::string machine_id() const {
      return DPP_HOST_HAS(host_, machine_id) ? detail::or_empty(host_->machine_id(host_)) : "";
   }
   std::string machine_folder() const {
      return DPP_HOST_HAS(host_, machine_folder) ? detail::or_empty(host_->machine_folder(host_)) : "";
   }

   std::optional<std::string> state_get(const std::string& key) const {
      if (!DPP_HOST_HAS(host_, state_get)) throw Error(DPP_E_UNSUPPORTED, "this host keeps no machine state");
      std::string buffer(256, '\0');
      for (int attempt = 0; attempt < 2; ++attempt) {
         std::size_t needed = 0;
         dpp_error error{};
         error.struct_size = sizeof error;
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
   void state_set(const std::string& key, const std::optional<std::string>& value) const {
      if (!DPP_HOST_HAS(host_, state_set)) throw Error(DPP_E_UNSUPPORTED, "this host keeps no machine state");
      dpp_error error{};
      error.struct_size = sizeof error;
      dpp_status status = host_->state_set(host_, key.c_str(), value ? value->c_str() : nullptr, &error);
      if (status != DPP_OK) throw Error(status, error.message);
   }

   // Private machine files (see dpp_host.write_machine_file): 0600, atomic, no symlinks.
   void write_machine_file(const std::string& name, std::string_view data) const {
      if (!DPP_HOST_HAS(host_, write_machine_file))
         throw Error(DPP_E_UNSUPPORTED, "this host cannot keep machine files");
      dpp_error error{};
      error.struct_size = sizeof error;
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
         dpp_error error{};
         error.struct_size = sizeof error;
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

   // DPP_OK, DPP_E_HOST_KEY_MISMATCH, DPP_E_CONNECT… (see dpp_host.check_endpoint); `message`
   // receives the detail when it is not DPP_OK.
   dpp_status check_endpoint(const std::string& hostname, uint16_t port, const std::string& expected_host_key,
                             uint32_t timeout_ms, std::string* message = nullptr) const {
      return ask_endpoint(DPP_HOST_HAS(host_, check_endpoint) ? host_->check_endpoint : nullptr,
                          "this host cannot check SSH endpoints", hostname, port, expected_host_key,
                          timeout_ms, message);
   }
   // Like check_endpoint, but waits while the server is still starting (see
   // dpp_host.wait_for_endpoint): DPP_OK once the expected key answers within timeout_ms.
   dpp_status wait_for_endpoint(const std::string& hostname, uint16_t port,
                                const std::string& expected_host_key, uint32_t timeout_ms,
                                std::string* message = nullptr) const {
      return ask_endpoint(DPP_HOST_HAS(host_, wait_for_endpoint) ? host_->wait_for_endpoint : nullptr,
                          "this host cannot wait for SSH endpoints", hostname, port, expected_host_key,
                          timeout_ms, message);
   }

 private:
   using EndpointService = dpp_status (*)(const dpp_host*, const char*, uint16_t, const char*, uint32_t,
                                          dpp_error*);
   dpp_status ask_endpoint(EndpointService service, const char* missing, const std::string& hostname,
                           uint16_t port, const std::string& expected_host_key, uint32_t timeout_ms,
                           std::string* message) const {
      if (!service) {
         if (message) *message = missing;
         return DPP_E_UNSUPPORTED;
      }
      dpp_error error{};
      error.struct_size = sizeof error;
      const dpp_status status =
          service(host_, hostname.c_str(), port,
                  expected_host_key.empty() ? nullptr : expected_host_key.c_str(), timeout_ms, &error);
      if (status != DPP_OK && message) *message = error.message;
      return status;
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
   // Canonical forms (see option.h): booleans are "true"/"false", sizes bytes, durations ms.
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

// Builds an option declaration: `static constexpr dpp_option_desc opts[] = {dpp::sdk::option(…)}`.
constexpr dpp_option_desc option(const char* name, const char* description, const char* default_value,
                                 int32_t type, uint32_t flags = 0, const char* enum_values = nullptr,
                                 const char* group = nullptr) {
   return dpp_option_desc{
       sizeof(dpp_option_desc), name, description, default_value, type, flags, enum_values, group};
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
   std::vector<std::string> command;
   std::vector<std::pair<std::string, std::string>> env;
   uint16_t ssh_port = 0;
   std::vector<WorkspaceVolume> volumes;
   uint64_t memory_limit_bytes = 0;
   uint64_t cpu_limit_millis = 0;
   uint32_t flags = 0;
   uint32_t timeout_ms = 0;

   bool privileged() const { return (flags & DPP_WORKSPACE_PRIVILEGED) != 0; }
   bool keep_failed() const { return (flags & DPP_WORKSPACE_KEEP_FAILED) != 0; }

   static WorkspaceSpec from(const dpp_workspace_spec* raw) {
      if (!raw) throw Error(DPP_E_INVALID_ARGUMENT, "no workspace spec");
      dpp_workspace_spec c{};
      std::memcpy(&c, raw, raw->struct_size < sizeof c ? raw->struct_size : sizeof c);
      WorkspaceSpec spec;
      spec.machine_id = detail::or_empty(c.machine_id);
      spec.image = detail::or_empty(c.image);
      for (uint32_t i = 0; i < c.command_count; ++i) spec.command.push_back(detail::or_empty(c.command[i]));
      for (uint32_t i = 0; i < c.env_count; ++i)
         spec.env.emplace_back(detail::or_empty(c.env[i].name), detail::or_empty(c.env[i].value));
      spec.ssh_port = c.ssh_port;
      for (uint32_t i = 0; i < c.volume_count; ++i)
         spec.volumes.push_back(
             {detail::or_empty(c.volumes[i].name), detail::or_empty(c.volumes[i].mount_path)});
      spec.memory_limit_bytes = c.memory_limit_bytes;
      spec.cpu_limit_millis = c.cpu_limit_millis;
      spec.flags = c.flags;
      spec.timeout_ms = c.timeout_ms;
      if (spec.machine_id.empty()) throw Error(DPP_E_INVALID_ARGUMENT, "empty machine id");
      return spec;
   }
};

struct WorkspaceInfo {
   int32_t state = DPP_WORKSPACE_NOT_FOUND;
   std::string ssh_host;
   uint16_t ssh_port = 0;
   std::string ssh_user;
   std::string ssh_host_key;
   std::string detail;

   void to(dpp_workspace_info* out) const {
      if (!out || out->struct_size < sizeof(dpp_workspace_info))
         throw Error(DPP_E_INVALID_ARGUMENT, "workspace info struct too small");
      out->state = state;
      detail::copy_to(out->ssh_host, ssh_host);
      out->ssh_port = ssh_port;
      detail::copy_to(out->ssh_user, ssh_user);
      detail::copy_to(out->ssh_host_key, ssh_host_key);
      detail::copy_to(out->detail, this->detail);
   }
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

   static Credentials from(const dpp_credentials* raw) {
      if (!raw) throw Error(DPP_E_INVALID_ARGUMENT, "no credentials");
      dpp_credentials c{};
      std::memcpy(&c, raw, raw->struct_size < sizeof c ? raw->struct_size : sizeof c);
      Credentials out;
      out.kind = c.kind;
      out.user = detail::or_empty(c.user);
      out.private_key_file = detail::or_empty(c.private_key_file);
      out.public_key_file = detail::or_empty(c.public_key_file);
      out.password = detail::or_empty(c.password);
      return out;
   }
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

   static SshTarget from(const dpp_ssh_target* raw, bool need_credentials) {
      if (!raw) throw Error(DPP_E_INVALID_ARGUMENT, "no SSH target");
      dpp_ssh_target c{};
      std::memcpy(&c, raw, raw->struct_size < sizeof c ? raw->struct_size : sizeof c);
      SshTarget out;
      out.host = detail::or_empty(c.host);
      out.port = c.port;
      out.host_key = detail::or_empty(c.host_key);
      if (c.credentials)
         out.credentials = Credentials::from(c.credentials);
      else if (need_credentials)
         throw Error(DPP_E_INVALID_ARGUMENT, "no credentials given");
      out.connect_timeout_ms = c.connect_timeout_ms;
      if (out.host.empty() || out.port == 0)
         throw Error(DPP_E_INVALID_ARGUMENT, "SSH target without host or port");
      if (out.host_key.empty())
         throw Error(DPP_E_INVALID_ARGUMENT, "no pinned host key: refusing to connect");
      return out;
   }
};

struct RunRequest {
   SshTarget target;
   std::string command;
   int stdin_fd = 0;
   int stdout_fd = 1;
   int stderr_fd = 2;

   static RunRequest from(const dpp_run_request* raw) {
      if (!raw) throw Error(DPP_E_INVALID_ARGUMENT, "no run request");
      dpp_run_request c{};
      std::memcpy(&c, raw, raw->struct_size < sizeof c ? raw->struct_size : sizeof c);
      RunRequest out;
      out.target = SshTarget::from(c.target, true);
      out.command = detail::or_empty(c.command);
      out.stdin_fd = c.stdin_fd;
      out.stdout_fd = c.stdout_fd;
      out.stderr_fd = c.stderr_fd;
      return out;
   }
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

// ---------------------------------------------------------------------------------------------
// Shims: C vtables that forward to the classes above. Internal to the SDK.

namespace detail {

inline std::atomic<const dpp_host*>& global_host() {
   static std::atomic<const dpp_host*> host{nullptr};
   return host;
}

template <typename Impl>
struct BackendShim : dpp_backend {
   std::unique_ptr<Impl> impl;

   static BackendShim* self(dpp_backend* b) { return static_cast<BackendShim*>(b); }

   static void destroy(dpp_backend* b) noexcept { delete self(b); }
   static dpp_status check(dpp_backend* b, dpp_check_report_fn report, void* context,
                           dpp_error* error) noexcept {
      dpp_status first = DPP_OK;
      std::string message;
      dpp_status status = guarded(error, [&] {
         CheckReport collector(report, context);
         self(b)->impl->check(collector);
         first = collector.first_failure();
         message = collector.first_message();
      });
      if (status != DPP_OK) return status;
      return first == DPP_OK ? DPP_OK : dpp_error_set(error, first, message.c_str());
   }
   static dpp_status create(dpp_backend* b, const dpp_workspace_spec* spec, dpp_workspace_info* info,
                            dpp_error* error) noexcept {
      return guarded(error, [&] { self(b)->impl->create(WorkspaceSpec::from(spec)).to(info); });
   }
   static dpp_status start(dpp_backend* b, const dpp_workspace_spec* spec, dpp_workspace_info* info,
                           dpp_error* error) noexcept {
      return guarded(error, [&] { self(b)->impl->start(WorkspaceSpec::from(spec)).to(info); });
   }
   static dpp_status stop(dpp_backend* b, const char* machine_id, dpp_error* error) noexcept {
      return guarded(error, [&] { self(b)->impl->stop(or_empty(machine_id)); });
   }
   static dpp_status remove(dpp_backend* b, const char* machine_id, uint32_t flags,
                            dpp_error* error) noexcept {
      return guarded(error, [&] {
         self(b)->impl->remove(or_empty(machine_id), (flags & DPP_REMOVE_KEEP_VOLUMES) != 0);
      });
   }
   static dpp_status status(dpp_backend* b, const char* machine_id, dpp_workspace_info* info,
                            dpp_error* error) noexcept {
      return guarded(error, [&] { self(b)->impl->status(or_empty(machine_id)).to(info); });
   }

   explicit BackendShim(std::unique_ptr<Impl> made) : dpp_backend{}, impl(std::move(made)) {
      struct_size = sizeof(dpp_backend);
      plugin_data = impl.get();
      dpp_backend::destroy = &BackendShim::destroy;
      dpp_backend::check = &BackendShim::check;
      dpp_backend::create = &BackendShim::create;
      dpp_backend::start = &BackendShim::start;
      dpp_backend::stop = &BackendShim::stop;
      dpp_backend::remove = &BackendShim::remove;
      dpp_backend::status = &BackendShim::status;
   }
};

template <typename Impl>
struct TransportShim : dpp_transport {
   std::unique_ptr<Impl> impl;

   static TransportShim* self(dpp_transport* t) { return static_cast<TransportShim*>(t); }

   static void destroy(dpp_transport* t) noexcept { delete self(t); }
   static dpp_status probe(dpp_transport* t, const dpp_ssh_target* target, uint32_t timeout_ms,
                           dpp_error* error) noexcept {
      return guarded(error, [&] { self(t)->impl->probe(SshTarget::from(target, false), timeout_ms); });
   }
   static dpp_status run(dpp_transport* t, const dpp_run_request* request, dpp_run_result* result,
                         dpp_error* error) noexcept {
      return guarded(error, [&] {
         if (!result || result->struct_size < sizeof(dpp_run_result))
            throw Error(DPP_E_INVALID_ARGUMENT, "run result struct too small");
         RunResult outcome = self(t)->impl->run(RunRequest::from(request));
         result->exit_code = outcome.exit_code;
         copy_to(result->exit_signal, outcome.exit_signal);
      });
   }
   static void cancel(dpp_transport* t) noexcept { self(t)->impl->cancel(); }

   explicit TransportShim(std::unique_ptr<Impl> made) : dpp_transport{}, impl(std::move(made)) {
      struct_size = sizeof(dpp_transport);
      plugin_data = impl.get();
      dpp_transport::destroy = &TransportShim::destroy;
      dpp_transport::probe = &TransportShim::probe;
      dpp_transport::run = &TransportShim::run;
      dpp_transport::cancel = &TransportShim::cancel;
   }
};

template <typename Impl>
struct AuthShim : dpp_auth {
   std::unique_ptr<Impl> impl;
   // Storage for the strings handed out: valid until destroy, wiped then.
   WorkspaceAuth workspace;
   Credentials client;

   static AuthShim* self(dpp_auth* a) { return static_cast<AuthShim*>(a); }

   static void destroy(dpp_auth* a) noexcept {
      AuthShim* shim = self(a);
      Credentials::wipe(shim->workspace.host_private_key_base64);
      Credentials::wipe(shim->client.password);
      delete shim;
   }
   static dpp_status prepare(dpp_auth* a, uint32_t flags, dpp_error* error) noexcept {
      return guarded(error, [&] { self(a)->impl->prepare((flags & DPP_AUTH_CREATE) != 0); });
   }
   static dpp_status workspace_auth(dpp_auth* a, dpp_workspace_auth* out, dpp_error* error) noexcept {
      return guarded(error, [&] {
         if (!out || out->struct_size < sizeof(dpp_workspace_auth))
            throw Error(DPP_E_INVALID_ARGUMENT, "workspace auth struct too small");
         AuthShim* shim = self(a);
         Credentials::wipe(shim->workspace.host_private_key_base64);
         shim->workspace = shim->impl->workspace_auth();
         const WorkspaceAuth& w = shim->workspace;
         auto c_str = [](const std::string& s) { return s.empty() ? nullptr : s.c_str(); };
         out->user = c_str(w.user);
         out->authorized_key = c_str(w.authorized_key);
         out->password_hash = c_str(w.password_hash);
         out->host_private_key_base64 = c_str(w.host_private_key_base64);
         out->host_public_key = c_str(w.host_public_key);
      });
   }
   static dpp_status credentials(dpp_auth* a, dpp_credentials* out, dpp_error* error) noexcept {
      return guarded(error, [&] {
         if (!out || out->struct_size < sizeof(dpp_credentials))
            throw Error(DPP_E_INVALID_ARGUMENT, "credentials struct too small");
         AuthShim* shim = self(a);
         Credentials::wipe(shim->client.password);
         shim->client = shim->impl->credentials();
         const Credentials& c = shim->client;
         auto c_str = [](const std::string& s) { return s.empty() ? nullptr : s.c_str(); };
         out->kind = c.kind;
         out->user = c_str(c.user);
         out->private_key_file = c_str(c.private_key_file);
         out->public_key_file = c_str(c.public_key_file);
         out->password = c_str(c.password);
      });
   }

   explicit AuthShim(std::unique_ptr<Impl> made) : dpp_auth{}, impl(std::move(made)) {
      struct_size = sizeof(dpp_auth);
      plugin_data = impl.get();
      dpp_auth::destroy = &AuthShim::destroy;
      dpp_auth::prepare = &AuthShim::prepare;
      dpp_auth::workspace_auth = &AuthShim::workspace_auth;
      dpp_auth::credentials = &AuthShim::credentials;
   }
};

template <typename Plugin>
concept HasBackend = requires {
   typename Plugin::backend;
};
template <typename Plugin>
concept HasTransport = requires {
   typename Plugin::transport;
};
template <typename Plugin>
concept HasAuth = requires {
   typename Plugin::auth;
};
template <typename Plugin>
concept HasOptions = requires {
   Plugin::options();
};
template <typename Plugin>
concept HasInit = requires(Host h) {
   Plugin::init(h);
};
template <typename Plugin>
concept HasDeinit = requires {
   Plugin::deinit();
};

// Creates `Impl(Host, Options)` behind the C object type `Shim`.
template <typename Impl, typename Shim, typename COut>
dpp_status make(const dpp_host* host, const dpp_options* options, COut** out, dpp_error* error) noexcept {
   if (!out) return dpp_error_set(error, DPP_E_INVALID_ARGUMENT, "no output pointer");
   *out = nullptr;
   return guarded(error, [&] {
      auto impl = std::make_unique<Impl>(Host(host), Options(options));
      *out = new Shim(std::move(impl));
   });
}

template <typename Plugin>
struct Entry {
   static inline std::atomic<bool> initialised{false};

   static dpp_status init(const dpp_host* host, dpp_error* error) noexcept {
      if (initialised.load()) return DPP_OK;
      if (!host) return dpp_error_set(error, DPP_E_INVALID_ARGUMENT, "no host given to init");
      global_host().store(host);
      dpp_status status = DPP_OK;
      if constexpr (HasInit<Plugin>) status = guarded(error, [&] { Plugin::init(Host(host)); });
      if (status == DPP_OK) initialised.store(true);
      return status;
   }
   static void deinit() noexcept {
      if (!initialised.exchange(false)) return;
      if constexpr (HasDeinit<Plugin>) {
         try {
            Plugin::deinit();
         } catch (...) {
         }
      }
      global_host().store(nullptr);
   }

   static dpp_status create_backend(const dpp_backend_factory*, const dpp_host* host,
                                    const dpp_options* options, dpp_backend** out,
                                    dpp_error* error) noexcept {
      if constexpr (HasBackend<Plugin>)
         return make<typename Plugin::backend, BackendShim<typename Plugin::backend>>(host, options, out,
                                                                                      error);
      else
         return dpp_error_set(error, DPP_E_UNSUPPORTED, "no backend in this plugin");
   }
   static dpp_status create_transport(const dpp_transport_factory*, const dpp_host* host,
                                      const dpp_options* options, dpp_transport** out,
                                      dpp_error* error) noexcept {
      if constexpr (HasTransport<Plugin>)
         return make<typename Plugin::transport, TransportShim<typename Plugin::transport>>(host, options,
                                                                                            out, error);
      else
         return dpp_error_set(error, DPP_E_UNSUPPORTED, "no transport in this plugin");
   }
   static dpp_status create_auth(const dpp_auth_factory*, const dpp_host* host, const dpp_options* options,
                                 dpp_auth** out, dpp_error* error) noexcept {
      if constexpr (HasAuth<Plugin>)
         return make<typename Plugin::auth, AuthShim<typename Plugin::auth>>(host, options, out, error);
      else
         return dpp_error_set(error, DPP_E_UNSUPPORTED, "no auth in this plugin");
   }

   static inline const dpp_backend_factory backend_factory{sizeof(dpp_backend_factory),
                                                           &Entry::create_backend};
   static inline const dpp_transport_factory transport_factory{sizeof(dpp_transport_factory),
                                                               &Entry::create_transport};
   static inline const dpp_auth_factory auth_factory{sizeof(dpp_auth_factory), &Entry::create_auth};

   static const void* get_factory(const char* id) noexcept {
      if (!id || !initialised.load()) return nullptr;
      std::string_view wanted(id);
      if constexpr (HasBackend<Plugin>)
         if (wanted == DPP_BACKEND_FACTORY_ID) return &backend_factory;
      if constexpr (HasTransport<Plugin>)
         if (wanted == DPP_TRANSPORT_FACTORY_ID) return &transport_factory;
      if constexpr (HasAuth<Plugin>)
         if (wanted == DPP_AUTH_FACTORY_ID) return &auth_factory;
      return nullptr;
   }
   static const dpp_option_desc* get_option(uint32_t index) noexcept {
      if constexpr (HasOptions<Plugin>) {
         std::span<const dpp_option_desc> all = Plugin::options();
         return index < all.size() ? &all[index] : nullptr;
      } else {
         (void)index;
         return nullptr;
      }
   }

   static inline const dpp_plugin_entry entry{
       sizeof(dpp_plugin_entry), DPP_ABI_VERSION_INIT, Plugin::id,
       Plugin::version,          Plugin::description,  &Entry::init,
       &Entry::deinit,           &Entry::get_factory,  &Entry::get_option};

   static const dpp_plugin_entry* get(uint32_t host_major, uint32_t) noexcept {
      return host_major == DPP_ABI_VERSION_MAJOR ? &entry : nullptr;
   }
};

}  // namespace detail

// The host handed to init(), for code that has no Host at hand (static helpers, callbacks).
inline Host global_host() noexcept {
   return Host(detail::global_host().load());
}

}  // namespace dpp::sdk

// Defines the one exported symbol of the library for the plugin description `Plugin`.
#define DPP_SDK_EXPORT_PLUGIN(Plugin)                                                            \
   extern "C" DPP_EXPORT const dpp_plugin_entry* dpp_get_plugin_entry(uint32_t host_abi_major,   \
                                                                      uint32_t host_abi_minor) { \
      return ::dpp::sdk::detail::Entry<Plugin>::get(host_abi_major, host_abi_minor);             \
   }

#endif  // DPP_CPP_PLUGIN_HPP

// Owning handles for backend, transport and auth objects made by plugins.
#include "loader/plugin_instances.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <optional>
#include <string_view>

#include "errors.hpp"
#include "loader/plugin_error.hpp"
#include "logging/logging.hpp"
#include "util/text.hpp"

namespace dpp::core {
namespace {

// A message a plugin wrote: NUL-terminated within its buffer (whatever the plugin did), valid
// UTF-8, control bytes but line breaks escaped (a quoted deploy log may span lines; host/main.cpp
// indents continuation lines and the log sink escapes them, so no line can pass for one of ours).
std::string plugin_message(dpp_error& error) {
   error.message[sizeof error.message - 1] = '\0';
   return printable_text(error.message, "\n");  // where it is printed, continuations are indented
}

// Runs one call into a plugin. Exceptions must not cross the C ABI, but a plugin that lets one
// through is contained here: it becomes a PluginError naming the file, never a crash.
template <typename Call>
auto guarded(const PluginLibrary& plugin, const char* what, Call&& call) -> decltype(call()) {
   try {
      return call();
   } catch (const std::exception& e) {
      throw PluginError(plugin.file(), std::string(what) + " threw an exception (" +
                                           printable_excerpt(e.what(), 200) +
                                           "); plugins must not let exceptions cross the ABI");
   } catch (...) {
      throw PluginError(
          plugin.file(),
          std::string(what) + " threw an exception; plugins must not let exceptions cross the ABI");
   }
}

// destroy() runs in destructors, which must not throw: a throwing destroy is reported and dropped.
template <typename Object>
void destroy_quietly(const PluginLibrary& plugin, Object* object, const char* kind) noexcept {
   try {
      object->destroy(object);
   } catch (...) {
      try {
         log().warn("plugin {}: {} destroy threw an exception; plugins must not let exceptions cross the ABI",
                    plugin.file(), kind);
      } catch (...) {
      }
   }
}

// A login or user name a plugin gives: what sshd and useradd accept, and nothing an argv or a
// shell could take for something else.
bool is_user_name(std::string_view name) {
   if (name.empty() || name.size() > 32) return false;
   if (!((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_')) return false;
   for (char c : name)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
   return true;
}

// One line of printable UTF-8 (an OpenSSH key line, a crypt hash, base64, a host name).
bool is_printable_line(std::string_view text, std::size_t limit) {
   return !text.empty() && text.size() <= limit && is_valid_utf8(text) && !has_control_characters(text);
}

// A string member of a struct the plugin filled: NULL stays NULL; otherwise its bytes, read no
// further than `limit` (+1 to tell a too long one).
std::optional<std::string> member(const char* text, std::size_t limit) {
   if (!text) return std::nullopt;
   return std::string(text, strnlen(text, limit + 1));
}

template <typename Factory, typename Object>
Object* make_object(PluginLibrary& plugin, PluginKind kind, HostServices& services,
                    const Configuration& config, std::size_t minimum_size) {
   const auto* factory = static_cast<const Factory*>(plugin.factory(kind));
   Configuration::PluginView options = config.plugin_options(plugin.id());
   dpp_error error = make_error();
   Object* made = nullptr;
   const dpp_status status = guarded(plugin, (std::string(kind_name(kind)) + " factory create").c_str(), [&] {
      return factory->create(factory, services.for_plugin(plugin.id()), options.get(), &made, &error);
   });
   if (status != DPP_OK) throw_plugin_failure(plugin, "configure", status, error);
   if (!made) throw PluginError(plugin.file(), std::string(kind_name(kind)) + " create returned no object");
   if (const uint32_t size = made->struct_size; size < minimum_size) {
      // `size` is read before destroy(): the object is freed by then.
      if (size >= offsetof(Object, destroy) + sizeof(void*) && made->destroy)
         destroy_quietly(plugin, made, kind_name(kind));
      throw PluginError(plugin.file(), std::string(kind_name(kind)) + " object has a short struct_size (" +
                                           std::to_string(size) + " bytes)");
   }
   return made;
}

void require(const PluginLibrary& plugin, const void* member, const char* name, const char* kind) {
   if (!member)
      throw PluginError(plugin.file(), std::string(kind) + " object has no " + name +
                                           " function (a required member is NULL)");
}

bool has_nul(const char* buffer, std::size_t capacity) {
   return std::memchr(buffer, 0, capacity) != nullptr;
}

}  // namespace

void throw_plugin_failure(const PluginLibrary& plugin, const char* operation, dpp_status status,
                          dpp_error& error) {
   std::string message = plugin_message(error);
   if (message.empty()) message = std::string(operation) + " failed: " + dpp_strerror(status);
   const std::string text = plugin.id() + ": " + message;
   switch (status) {
      case DPP_E_CONFIG: throw ProviderError(kExitUsage, text);
      case DPP_E_CANCELLED: throw CancelledError();
      default: throw ProviderError(kExitFailure, text);
   }
}

// ----- Backend -----

Backend::Backend(std::shared_ptr<PluginLibrary> plugin, HostServices& services, const Configuration& config)
    : plugin_(std::move(plugin)) {
   backend_ = make_object<dpp_backend_factory, dpp_backend>(*plugin_, PluginKind::backend, services, config,
                                                            offsetof(dpp_backend, status) + sizeof(void*));
   try {
      require(*plugin_, reinterpret_cast<const void*>(backend_->destroy), "destroy", "backend");
      require(*plugin_, reinterpret_cast<const void*>(backend_->check), "check", "backend");
      require(*plugin_, reinterpret_cast<const void*>(backend_->create), "create", "backend");
      require(*plugin_, reinterpret_cast<const void*>(backend_->remove), "remove", "backend");
      require(*plugin_, reinterpret_cast<const void*>(backend_->status), "status", "backend");
   } catch (...) {
      if (backend_->destroy) destroy_quietly(*plugin_, backend_, "backend");
      throw;
   }
}

Backend::~Backend() {
   if (backend_) destroy_quietly(*plugin_, backend_, "backend");
}

dpp_status Backend::check(dpp_check_report_fn report, void* context, dpp_error& error) {
   return guarded(*plugin_, "backend check",
                  [&] { return backend_->check(backend_, report, context, &error); });
}

dpp_workspace_info Backend::checked_info(dpp_workspace_info info, const char* operation) const {
   // A plugin's strings must end inside their buffers and its state must be one we know.
   if (!has_nul(info.ssh_host, sizeof info.ssh_host) || !has_nul(info.ssh_user, sizeof info.ssh_user) ||
       !has_nul(info.ssh_host_key, sizeof info.ssh_host_key) || !has_nul(info.detail, sizeof info.detail))
      throw PluginError(plugin_->file(), std::string(operation) + " returned an unterminated string");
   if (info.state < DPP_WORKSPACE_NOT_FOUND || info.state > DPP_WORKSPACE_FAILED)
      throw PluginError(plugin_->file(), std::string(operation) + " returned an unknown workspace state " +
                                             std::to_string(info.state));
   if (!is_valid_utf8(info.ssh_host) || !is_valid_utf8(info.ssh_user) || !is_valid_utf8(info.ssh_host_key))
      throw PluginError(plugin_->file(), std::string(operation) + " returned text that is not UTF-8");
   // The endpoint reaches transports (the system one puts host and user in ssh's argv) and the
   // state file: a host name or address (never an option: no leading '-'), a plain user name, and
   // one printable key line.
   const std::string_view host = info.ssh_host;
   if (!host.empty() && (host.front() == '-' || !is_printable_line(host, sizeof info.ssh_host) ||
                         host.find_first_of(" /@") != std::string_view::npos))
      throw PluginError(plugin_->file(), std::string(operation) + " returned the SSH host '" +
                                             printable_excerpt(host) +
                                             "', which is not a host name or address");
   if (info.ssh_user[0] && !is_user_name(info.ssh_user))
      throw PluginError(plugin_->file(), std::string(operation) + " returned the SSH user '" +
                                             printable_excerpt(info.ssh_user) +
                                             "', which is not a user name");
   if (info.ssh_host_key[0] && !is_printable_line(info.ssh_host_key, sizeof info.ssh_host_key))
      throw PluginError(plugin_->file(),
                        std::string(operation) + " returned a host key that is not one printable line");
   // The detail is for people: keep it, made printable (it may be logged or shown).
   const std::string detail = printable_text(info.detail);
   const std::size_t length = std::min(detail.size(), sizeof info.detail - 1);
   std::memcpy(info.detail, detail.data(), length);
   info.detail[length] = '\0';
   if (!is_valid_utf8(info.detail)) info.detail[0] = '\0';  // cut inside a character
   return info;
}

namespace {
dpp_workspace_info blank_info() {
   dpp_workspace_info info{};
   info.struct_size = sizeof info;
   return info;
}
}  // namespace

dpp_workspace_info Backend::create(const dpp_workspace_spec& spec) {
   dpp_workspace_info info = blank_info();
   dpp_error error = make_error();
   const dpp_status status =
       guarded(*plugin_, "backend create", [&] { return backend_->create(backend_, &spec, &info, &error); });
   if (status != DPP_OK) throw_plugin_failure(*plugin_, "create", status, error);
   return checked_info(info, "create");
}

dpp_workspace_info Backend::start(const dpp_workspace_spec& spec) {
   if (!backend_->start)
      throw ProviderError(kExitFailure, plugin_->id() + ": start is not supported by this backend");
   dpp_workspace_info info = blank_info();
   dpp_error error = make_error();
   const dpp_status status =
       guarded(*plugin_, "backend start", [&] { return backend_->start(backend_, &spec, &info, &error); });
   if (status != DPP_OK) throw_plugin_failure(*plugin_, "start", status, error);
   return checked_info(info, "start");
}

void Backend::stop(const std::string& machine_id) {
   if (!backend_->stop)
      throw ProviderError(kExitFailure, plugin_->id() + ": stop is not supported by this backend");
   dpp_error error = make_error();
   const dpp_status status = guarded(*plugin_, "backend stop",
                                     [&] { return backend_->stop(backend_, machine_id.c_str(), &error); });
   if (status != DPP_OK) throw_plugin_failure(*plugin_, "stop", status, error);
}

void Backend::remove(const std::string& machine_id, bool keep_volumes) {
   dpp_error error = make_error();
   const dpp_status status = guarded(*plugin_, "backend remove", [&] {
      return backend_->remove(backend_, machine_id.c_str(), keep_volumes ? DPP_REMOVE_KEEP_VOLUMES : 0,
                              &error);
   });
   if (status != DPP_OK) throw_plugin_failure(*plugin_, "delete", status, error);
}

dpp_workspace_info Backend::status(const std::string& machine_id) {
   dpp_workspace_info info = blank_info();
   dpp_error error = make_error();
   const dpp_status status = guarded(*plugin_, "backend status", [&] {
      return backend_->status(backend_, machine_id.c_str(), &info, &error);
   });
   if (status != DPP_OK) throw_plugin_failure(*plugin_, "status", status, error);
   return checked_info(info, "status");
}

// ----- Auth -----

Auth::Auth(std::shared_ptr<PluginLibrary> plugin, HostServices& services, const Configuration& config)
    : plugin_(std::move(plugin)) {
   auth_ = make_object<dpp_auth_factory, dpp_auth>(*plugin_, PluginKind::auth, services, config,
                                                   offsetof(dpp_auth, credentials) + sizeof(void*));
   try {
      require(*plugin_, reinterpret_cast<const void*>(auth_->destroy), "destroy", "auth");
      require(*plugin_, reinterpret_cast<const void*>(auth_->prepare), "prepare", "auth");
      require(*plugin_, reinterpret_cast<const void*>(auth_->workspace_auth), "workspace_auth", "auth");
      require(*plugin_, reinterpret_cast<const void*>(auth_->credentials), "credentials", "auth");
   } catch (...) {
      if (auth_->destroy) destroy_quietly(*plugin_, auth_, "auth");
      throw;
   }
}

Auth::~Auth() {
   if (auth_) destroy_quietly(*plugin_, auth_, "auth");
}

void Auth::prepare(bool create_missing) {
   dpp_error error = make_error();
   const dpp_status status = guarded(*plugin_, "auth prepare", [&] {
      return auth_->prepare(auth_, create_missing ? DPP_AUTH_CREATE : 0, &error);
   });
   if (status != DPP_OK) throw_plugin_failure(*plugin_, "prepare credentials", status, error);
}

dpp_workspace_auth Auth::workspace_auth() {
   dpp_workspace_auth out{};
   out.struct_size = sizeof out;
   dpp_error error = make_error();
   const dpp_status status =
       guarded(*plugin_, "auth workspace_auth", [&] { return auth_->workspace_auth(auth_, &out, &error); });
   if (status != DPP_OK) throw_plugin_failure(*plugin_, "workspace auth", status, error);
   if (!out.user || !*out.user || !out.host_public_key || !out.host_private_key_base64)
      throw PluginError(plugin_->file(), "workspace_auth returned no user or no host key");
   // Everything here goes into the workspace's environment and from there into files sshd
   // reads: each must be what it says, on one line.
   auto fail = [&](const std::string& what) {
      throw PluginError(plugin_->file(), "workspace_auth returned " + what);
   };
   if (const auto user = member(out.user, 32); !is_user_name(*user))
      fail("the user '" + printable_excerpt(*user) + "', which is not a plain user name");
   if (!is_printable_line(*member(out.host_public_key, 16384), 16384))
      fail("a host public key that is not one printable line");
   const std::string private_key = *member(out.host_private_key_base64, 65536);
   if (!is_printable_line(private_key, 65536) ||
       private_key.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") !=
           std::string::npos)
      fail("a host private key that is not base64 on one line");
   if (const auto key = member(out.authorized_key, 16384); key && !is_printable_line(*key, 16384))
      fail("an authorized key that is not one printable line");
   if (const auto hash = member(out.password_hash, 512);
       hash &&
       (!is_printable_line(*hash, 512) || !hash->starts_with("$6$") || hash->find(' ') != std::string::npos))
      fail("a password hash that is not a SHA-512 crypt hash ($6$...)");
   if (!out.authorized_key && !out.password_hash) fail("neither an authorized key nor a password hash");
   return out;
}

dpp_credentials Auth::credentials() {
   dpp_credentials out{};
   out.struct_size = sizeof out;
   dpp_error error = make_error();
   const dpp_status status =
       guarded(*plugin_, "auth credentials", [&] { return auth_->credentials(auth_, &out, &error); });
   if (status != DPP_OK) throw_plugin_failure(*plugin_, "credentials", status, error);
   if (!out.user || !*out.user) throw PluginError(plugin_->file(), "credentials have no user");
   if (out.kind != DPP_CREDENTIAL_PRIVATE_KEY && out.kind != DPP_CREDENTIAL_PASSWORD)
      throw PluginError(plugin_->file(), "credentials of unknown kind " + std::to_string(out.kind));
   // The user goes into ssh's argv (system transport): a plain name, never an option.
   if (const auto user = member(out.user, 32); !is_user_name(*user))
      throw PluginError(plugin_->file(), "credentials name the user '" + printable_excerpt(*user) +
                                             "', which is not a plain user name");
   if (out.kind == DPP_CREDENTIAL_PRIVATE_KEY) {
      const auto file = member(out.private_key_file, 4096);
      if (!file || file->empty() || file->front() != '/' || file->size() > 4096 || !is_valid_utf8(*file) ||
          has_control_characters(*file))
         throw PluginError(plugin_->file(), "private key credentials without an absolute key file path");
   } else if (!out.password || !*out.password || strnlen(out.password, 4097) > 4096) {
      throw PluginError(plugin_->file(), "password credentials without a password (or one over 4096 bytes)");
   }
   return out;
}

// ----- Transport -----

Transport::Transport(std::shared_ptr<PluginLibrary> plugin, HostServices& services,
                     const Configuration& config)
    : plugin_(std::move(plugin)) {
   transport_ = make_object<dpp_transport_factory, dpp_transport>(
       *plugin_, PluginKind::transport, services, config, offsetof(dpp_transport, cancel) + sizeof(void*));
   try {
      require(*plugin_, reinterpret_cast<const void*>(transport_->destroy), "destroy", "transport");
      require(*plugin_, reinterpret_cast<const void*>(transport_->probe), "probe", "transport");
      require(*plugin_, reinterpret_cast<const void*>(transport_->run), "run", "transport");
      require(*plugin_, reinterpret_cast<const void*>(transport_->cancel), "cancel", "transport");
   } catch (...) {
      if (transport_->destroy) destroy_quietly(*plugin_, transport_, "transport");
      throw;
   }
}

Transport::~Transport() {
   if (transport_) destroy_quietly(*plugin_, transport_, "transport");
}

dpp_status Transport::probe(const dpp_ssh_target& target, uint32_t timeout_ms, std::string& message) {
   dpp_error error = make_error();
   const dpp_status status = guarded(*plugin_, "transport probe", [&] {
      return transport_->probe(transport_, &target, timeout_ms, &error);
   });
   if (status != DPP_OK) message = plugin_message(error);
   return status;
}

dpp_status Transport::run(const dpp_run_request& request, dpp_run_result& result, std::string& message) {
   dpp_error error = make_error();
   result = dpp_run_result{};
   result.struct_size = sizeof result;
   const dpp_status status = guarded(*plugin_, "transport run",
                                     [&] { return transport_->run(transport_, &request, &result, &error); });
   if (status != DPP_OK) {
      message = plugin_message(error);
      return status;
   }
   // The exit code becomes this process's: a number a shell can see (0-255).
   if (result.exit_code < 0 || result.exit_code > 255)
      throw PluginError(plugin_->file(),
                        "run reported the exit code " + std::to_string(result.exit_code) + ", outside 0-255");
   // A signal's name ("KILL"), or nothing: it is logged.
   result.exit_signal[sizeof result.exit_signal - 1] = '\0';
   for (const char* c = result.exit_signal; *c; ++c)
      if (!((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '+' || *c == '-' || *c == '_')) {
         result.exit_signal[0] = '\0';
         break;
      }
   return status;
}

void Transport::cancel() noexcept {
   // From a signal handler: nothing to report with, but a throwing plugin must not abort us.
   try {
      transport_->cancel(transport_);
   } catch (...) {
   }
}

}  // namespace dpp::core

// Owning handles for backend, transport and auth objects made by plugins.
#include "plugins/plugin_instances.hpp"

#include <cstddef>
#include <cstring>

#include "errors.hpp"
#include "plugins/plugin_error.hpp"
#include "util/text.hpp"

namespace dpp::core {
namespace {

// A message a plugin wrote: NUL-terminated within its buffer, valid UTF-8, one line.
std::string plugin_message(dpp_error& error) {
   error.message[sizeof error.message - 1] = '\0';
   std::string text(error.message);
   bool clean = is_valid_utf8(text);
   for (char c : text)
      if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') clean = false;
   return clean ? text : printable_excerpt(text, sizeof error.message);
}

template <typename Factory, typename Object>
Object* make_object(PluginLibrary& plugin, PluginKind kind, HostServices& services,
                    const Configuration& config, std::size_t minimum_size) {
   const auto* factory = static_cast<const Factory*>(plugin.factory(kind));
   Configuration::PluginView options = config.plugin_options(plugin.id());
   dpp_error error = make_error();
   Object* made = nullptr;
   dpp_status status;
   try {
      status = factory->create(factory, services.for_plugin(plugin.id()), options.get(), &made, &error);
   } catch (...) {
      throw PluginError(plugin.file(), std::string(kind_name(kind)) + " create threw an exception");
   }
   if (status != DPP_OK) throw_plugin_failure(plugin, "configure", status, error);
   if (!made) throw PluginError(plugin.file(), std::string(kind_name(kind)) + " create returned no object");
   if (const uint32_t size = made->struct_size; size < minimum_size) {
      // `size` is read before destroy(): the object is freed by then.
      if (size >= offsetof(Object, destroy) + sizeof(void*) && made->destroy) made->destroy(made);
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
      if (backend_->destroy) backend_->destroy(backend_);
      throw;
   }
}

Backend::~Backend() {
   if (backend_) backend_->destroy(backend_);
}

dpp_status Backend::check(dpp_check_report_fn report, void* context, dpp_error& error) {
   return backend_->check(backend_, report, context, &error);
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
   if (!is_valid_utf8(info.detail)) info.detail[0] = '\0';
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
   const dpp_status status = backend_->create(backend_, &spec, &info, &error);
   if (status != DPP_OK) throw_plugin_failure(*plugin_, "create", status, error);
   return checked_info(info, "create");
}

dpp_workspace_info Backend::start(const dpp_workspace_spec& spec) {
   if (!backend_->start)
      throw ProviderError(kExitFailure, plugin_->id() + ": start is not supported by this backend");
   dpp_workspace_info info = blank_info();
   dpp_error error = make_error();
   const dpp_status status = backend_->start(backend_, &spec, &info, &error);
   if (status != DPP_OK) throw_plugin_failure(*plugin_, "start", status, error);
   return checked_info(info, "start");
}

void Backend::stop(const std::string& machine_id) {
   if (!backend_->stop)
      throw ProviderError(kExitFailure, plugin_->id() + ": stop is not supported by this backend");
   dpp_error error = make_error();
   const dpp_status status = backend_->stop(backend_, machine_id.c_str(), &error);
   if (status != DPP_OK) throw_plugin_failure(*plugin_, "stop", status, error);
}

void Backend::remove(const std::string& machine_id, bool keep_volumes) {
   dpp_error error = make_error();
   const dpp_status status =
       backend_->remove(backend_, machine_id.c_str(), keep_volumes ? DPP_REMOVE_KEEP_VOLUMES : 0, &error);
   if (status != DPP_OK) throw_plugin_failure(*plugin_, "delete", status, error);
}

dpp_workspace_info Backend::status(const std::string& machine_id) {
   dpp_workspace_info info = blank_info();
   dpp_error error = make_error();
   const dpp_status status = backend_->status(backend_, machine_id.c_str(), &info, &error);
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
      if (auth_->destroy) auth_->destroy(auth_);
      throw;
   }
}

Auth::~Auth() {
   if (auth_) auth_->destroy(auth_);
}

void Auth::prepare(const std::string& machine_folder, bool create_missing) {
   dpp_error error = make_error();
   const dpp_status status =
       auth_->prepare(auth_, machine_folder.c_str(), create_missing ? DPP_AUTH_CREATE : 0, &error);
   if (status != DPP_OK) throw_plugin_failure(*plugin_, "prepare credentials", status, error);
}

dpp_workspace_auth Auth::workspace_auth() {
   dpp_workspace_auth out{};
   out.struct_size = sizeof out;
   dpp_error error = make_error();
   const dpp_status status = auth_->workspace_auth(auth_, &out, &error);
   if (status != DPP_OK) throw_plugin_failure(*plugin_, "workspace auth", status, error);
   if (!out.user || !*out.user || !out.host_public_key || !out.host_private_key_base64)
      throw PluginError(plugin_->file(), "workspace_auth returned no user or no host key");
   return out;
}

dpp_credentials Auth::credentials() {
   dpp_credentials out{};
   out.struct_size = sizeof out;
   dpp_error error = make_error();
   const dpp_status status = auth_->credentials(auth_, &out, &error);
   if (status != DPP_OK) throw_plugin_failure(*plugin_, "credentials", status, error);
   if (!out.user || !*out.user) throw PluginError(plugin_->file(), "credentials have no user");
   if (out.kind != DPP_CREDENTIAL_PRIVATE_KEY && out.kind != DPP_CREDENTIAL_PASSWORD)
      throw PluginError(plugin_->file(), "credentials of unknown kind " + std::to_string(out.kind));
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
      if (transport_->destroy) transport_->destroy(transport_);
      throw;
   }
}

Transport::~Transport() {
   if (transport_) transport_->destroy(transport_);
}

dpp_status Transport::probe(const dpp_ssh_target& target, uint32_t timeout_ms, std::string& message) {
   dpp_error error = make_error();
   const dpp_status status = transport_->probe(transport_, &target, timeout_ms, &error);
   if (status != DPP_OK) message = plugin_message(error);
   return status;
}

dpp_status Transport::run(const dpp_run_request& request, dpp_run_result& result, std::string& message) {
   dpp_error error = make_error();
   result = dpp_run_result{};
   result.struct_size = sizeof result;
   const dpp_status status = transport_->run(transport_, &request, &result, &error);
   if (status != DPP_OK) message = plugin_message(error);
   result.exit_signal[sizeof result.exit_signal - 1] = '\0';
   return status;
}

void Transport::cancel() noexcept {
   transport_->cancel(transport_);
}

}  // namespace dpp::core

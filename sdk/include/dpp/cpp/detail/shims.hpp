// Internal to the SDK (the C++ helper's machinery, not an API): the shims that implement the C
// ABI's vtables with the classes of dpp/cpp/plugin.hpp, turn every exception into a status and a
// message, and copy the C structs into the helper's value types and back. Included by
// plugin.hpp; never include it yourself.
#ifndef DPP_CPP_DETAIL_SHIMS_HPP
#define DPP_CPP_DETAIL_SHIMS_HPP

#include <dpp/cpp/plugin.hpp>

#include <atomic>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace dpp::sdk {
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

// The host handed to init(), for sdk::global_host().
inline std::atomic<const dpp_host*>& global_host() {
   static std::atomic<const dpp_host*> host{nullptr};
   return host;
}

// ----- C structs to the helper's value types and back. A struct from the other side is read
// only as far as its struct_size reaches (into a zeroed copy): members it lacks read as 0/NULL.

template <typename Struct>
Struct sized_copy(const Struct* raw) noexcept {
   Struct copy{};
   std::memcpy(&copy, raw, raw->struct_size < sizeof copy ? raw->struct_size : sizeof copy);
   return copy;
}

inline WorkspaceSpec spec_from(const dpp_workspace_spec* raw) {
   if (!raw) throw Error(DPP_E_INVALID_ARGUMENT, "no workspace spec");
   const dpp_workspace_spec c = sized_copy(raw);
   WorkspaceSpec spec;
   spec.machine_id = or_empty(c.machine_id);
   spec.image = or_empty(c.image);
   for (uint32_t i = 0; i < c.command_count; ++i) spec.command.push_back(or_empty(c.command[i]));
   for (uint32_t i = 0; i < c.env_count; ++i)
      spec.env.emplace_back(or_empty(c.env[i].name), or_empty(c.env[i].value));
   spec.ssh_port = c.ssh_port;
   for (uint32_t i = 0; i < c.volume_count; ++i)
      spec.volumes.push_back({or_empty(c.volumes[i].name), or_empty(c.volumes[i].mount_path)});
   spec.memory_limit_bytes = c.memory_limit_bytes;
   spec.cpu_limit_millis = c.cpu_limit_millis;
   spec.flags = c.flags;
   spec.timeout_ms = c.timeout_ms;
   if (spec.machine_id.empty()) throw Error(DPP_E_INVALID_ARGUMENT, "empty machine id");
   return spec;
}

inline void info_to(const WorkspaceInfo& info, dpp_workspace_info* out) {
   if (!out || out->struct_size < sizeof(dpp_workspace_info))
      throw Error(DPP_E_INVALID_ARGUMENT, "workspace info struct too small");
   out->state = info.state;
   copy_to(out->ssh_host, info.ssh_host);
   out->ssh_port = info.ssh_port;
   copy_to(out->ssh_user, info.ssh_user);
   copy_to(out->ssh_host_key, info.ssh_host_key);
   copy_to(out->detail, info.detail);
}

inline Credentials credentials_from(const dpp_credentials* raw) {
   if (!raw) throw Error(DPP_E_INVALID_ARGUMENT, "no credentials");
   const dpp_credentials c = sized_copy(raw);
   Credentials out;
   out.kind = c.kind;
   out.user = or_empty(c.user);
   out.private_key_file = or_empty(c.private_key_file);
   out.public_key_file = or_empty(c.public_key_file);
   out.password = or_empty(c.password);
   return out;
}

inline SshTarget target_from(const dpp_ssh_target* raw, bool need_credentials) {
   if (!raw) throw Error(DPP_E_INVALID_ARGUMENT, "no SSH target");
   const dpp_ssh_target c = sized_copy(raw);
   SshTarget out;
   out.host = or_empty(c.host);
   out.port = c.port;
   out.host_key = or_empty(c.host_key);
   if (c.credentials)
      out.credentials = credentials_from(c.credentials);
   else if (need_credentials)
      throw Error(DPP_E_INVALID_ARGUMENT, "no credentials given");
   out.connect_timeout_ms = c.connect_timeout_ms;
   if (out.host.empty() || out.port == 0)
      throw Error(DPP_E_INVALID_ARGUMENT, "SSH target without host or port");
   if (out.host_key.empty()) throw Error(DPP_E_INVALID_ARGUMENT, "no pinned host key: refusing to connect");
   return out;
}

inline RunRequest request_from(const dpp_run_request* raw) {
   if (!raw) throw Error(DPP_E_INVALID_ARGUMENT, "no run request");
   const dpp_run_request c = sized_copy(raw);
   RunRequest out;
   out.target = target_from(c.target, true);
   out.command = or_empty(c.command);
   out.stdin_fd = c.stdin_fd;
   out.stdout_fd = c.stdout_fd;
   out.stderr_fd = c.stderr_fd;
   return out;
}

// ----- C vtables that forward to the classes of plugin.hpp

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
      return guarded(error, [&] { info_to(self(b)->impl->create(spec_from(spec)), info); });
   }
   static dpp_status start(dpp_backend* b, const dpp_workspace_spec* spec, dpp_workspace_info* info,
                           dpp_error* error) noexcept {
      return guarded(error, [&] { info_to(self(b)->impl->start(spec_from(spec)), info); });
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
      return guarded(error, [&] { info_to(self(b)->impl->status(or_empty(machine_id)), info); });
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
      return guarded(error, [&] { self(t)->impl->probe(target_from(target, false), timeout_ms); });
   }
   static dpp_status run(dpp_transport* t, const dpp_run_request* request, dpp_run_result* result,
                         dpp_error* error) noexcept {
      return guarded(error, [&] {
         if (!result || result->struct_size < sizeof(dpp_run_result))
            throw Error(DPP_E_INVALID_ARGUMENT, "run result struct too small");
         RunResult outcome = self(t)->impl->run(request_from(request));
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

inline Host global_host() noexcept {
   return Host(detail::global_host().load());
}

}  // namespace dpp::sdk

#endif  // DPP_CPP_DETAIL_SHIMS_HPP

// A plugin that misbehaves on purpose, one way at a time: a backend, a transport and an auth
// strategy that behave well except at the one point DPP_HOSTILE_MODE names (read from the
// environment at each call, so one library serves every case), where they throw through the C
// ABI, return oversized, unterminated or non-UTF-8 strings, out-of-range enums, NULLs, error
// messages without a NUL, or DPP_OK with garbage. The host must contain each and name this file.
#include <dpp/dpp.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <stdexcept>
#include <string>

namespace {

const dpp_host* g_host = nullptr;

// Creates the file DPP_HOSTILE_READY_FILE names, if any: tests wait for it to know that the
// provider is past its start-up and inside the transport.
void announce_running() {
   if (const char* path = std::getenv("DPP_HOSTILE_READY_FILE")) {
      if (FILE* file = std::fopen(path, "w")) std::fclose(file);
   }
}

bool mode(const char* name) {
   const char* value = std::getenv("DPP_HOSTILE_MODE");
   return value && std::strcmp(value, name) == 0;
}

// Big strings live as long as the plugin is loaded (the host may keep pointers to entry strings
// until it unloads it); freed at unload, so that LeakSanitizer sees no leak of ours.
const std::string& huge(char fill, std::size_t size = 1 << 20) {
   static std::unique_ptr<std::string> texts[256];
   std::unique_ptr<std::string>& slot = texts[static_cast<unsigned char>(fill)];
   if (!slot) slot = std::make_unique<std::string>(size, fill);
   return *slot;
}

const std::string& huge_invalid_text() {
   static const std::string text = [] {
      std::string t;
      while (t.size() < (1u << 20)) t += "\xff\xfe\x1b[2J\x1b]0;pwned\x07\ndokploy-provider: forged line ";
      return t;
   }();
   return text;
}

// Fills a caller-allocated error record with `capacity` bytes and no NUL at all.
dpp_status unterminated_error(dpp_error* error, dpp_status status) {
   std::memset(error->message, 'E', sizeof error->message);
   error->message[7] = '\xff';  // and not UTF-8 either
   error->status = status;
   return status;
}

dpp_status fail(dpp_error* error, dpp_status status, const char* message) {
   return dpp_error_set(error, status, message);
}

// ---- strings every part needs ----

// RFC 8032 section 7.1 TEST 1: a published test vector, not a secret.
constexpr const char* kHostKey =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINdamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea";
constexpr const char* kHostPrivateBase64 = "AAAA";

// ---- backend ----

void fill_info(dpp_workspace_info* info, int32_t state) {
   info->state = state;
   std::strcpy(info->ssh_host, "127.0.0.1");
   info->ssh_port = 2222;
   info->detail[0] = '\0';
}

void backend_destroy(dpp_backend* self) {
   delete self;
   if (mode("backend.destroy.throws")) throw std::runtime_error("destroy blew up");
}

dpp_status backend_check(dpp_backend*, dpp_check_report_fn report, void* context, dpp_error* error) {
   if (mode("backend.check.throws")) throw std::runtime_error("check blew up");
   if (mode("backend.check.hostile-report")) {
      report(context, nullptr, 42, nullptr, nullptr);
      report(context, huge_invalid_text().c_str(), DPP_CHECK_FAIL, huge('m').c_str(),
             huge_invalid_text().c_str());
      report(context, "escape", DPP_CHECK_WARN, "\x1b[31mred\x1b[0m\rover\nforged", "\x1b]0;title\x07");
      return fail(error, DPP_E_REMOTE, "the hostile check failed");
   }
   report(context, "hostile server", DPP_CHECK_PASS, "answers", nullptr);
   return DPP_OK;
}

dpp_status backend_status(dpp_backend*, const char*, dpp_workspace_info* info, dpp_error* error) {
   if (mode("backend.status.throws-std")) throw std::runtime_error("status blew up \x1b[2J");
   if (mode("backend.status.throws-int")) throw 42;
   if (mode("backend.status.state42")) {
      fill_info(info, 42);
      return DPP_OK;
   }
   if (mode("backend.status.state-negative")) {
      fill_info(info, -7);
      return DPP_OK;
   }
   if (mode("backend.status.unterminated-host")) {
      fill_info(info, DPP_WORKSPACE_RUNNING);
      std::memset(info->ssh_host, 'h', sizeof info->ssh_host);
      return DPP_OK;
   }
   if (mode("backend.status.unterminated-detail")) {
      fill_info(info, DPP_WORKSPACE_STOPPED);
      std::memset(info->detail, 'd', sizeof info->detail);
      return DPP_OK;
   }
   if (mode("backend.status.invalid-utf8")) {
      fill_info(info, DPP_WORKSPACE_RUNNING);
      std::strcpy(info->ssh_user, "dev\xff\xfe");
      return DPP_OK;
   }
   if (mode("backend.status.option-host")) {
      fill_info(info, DPP_WORKSPACE_RUNNING);
      std::strcpy(info->ssh_host, "-oProxyCommand=touch /tmp/dpp-hostile-pwned");
      return DPP_OK;
   }
   if (mode("backend.status.option-user")) {
      fill_info(info, DPP_WORKSPACE_RUNNING);
      std::strcpy(info->ssh_user, "-oProxyCommand=x");
      return DPP_OK;
   }
   if (mode("backend.status.root-user")) {
      fill_info(info, DPP_WORKSPACE_RUNNING);
      std::strcpy(info->ssh_user, "root");
      return DPP_OK;
   }
   if (mode("backend.status.multiline-key")) {
      fill_info(info, DPP_WORKSPACE_RUNNING);
      std::strcpy(info->ssh_host_key, "ssh-ed25519 AAAA\n@cert-authority * ssh-ed25519 AAAA");
      return DPP_OK;
   }
   if (mode("backend.status.detail-escapes")) {
      fill_info(info, DPP_WORKSPACE_STOPPED);
      std::strcpy(info->detail, "\x1b]0;pwned\x07\x1b[2Jstopped\ndokploy-provider: forged line");
      return DPP_OK;
   }
   if (mode("backend.status.ok-garbage")) {
      const uint32_t size = info->struct_size;
      std::memset(info, 0xA5, size);
      info->struct_size = size;
      return DPP_OK;
   }
   if (mode("backend.status.error-unterminated")) return unterminated_error(error, DPP_E_REMOTE);
   if (mode("backend.status.error-newline"))
      return fail(error, DPP_E_REMOTE, "refused\ndokploy-provider: status succeeded\r\x1b[1A");
   if (mode("backend.status.positive-code")) return 7;
   if (mode("backend.status.unknown-negative")) return fail(error, -9999, "a status from the future");
   if (mode("backend.status.log-flood")) {
      g_host->log(g_host, DPP_LOG_ERROR, huge_invalid_text().c_str());
      g_host->log(g_host, 99, "level 99\nforged");
      g_host->log(g_host, -5, nullptr);
      dpp_error set_error{};
      set_error.struct_size = sizeof set_error;
      g_host->state_set(g_host, "big", huge('v').c_str(), &set_error);
      g_host->state_set(g_host, "../../etc/passwd", "x", &set_error);
      g_host->state_set(g_host, "bad-utf8", "\xff", &set_error);
      char small[4];
      std::size_t needed = 0;
      g_host->state_get(g_host, "big", small, sizeof small, &needed, nullptr);
      g_host->state_get(g_host, nullptr, nullptr, 0, nullptr, nullptr);
      g_host->write_machine_file(g_host, "../escape", "x", 1, &set_error);
      g_host->write_machine_file(g_host, "big", huge('f', 2 << 20).data(), 2 << 20, &set_error);
      g_host->read_machine_file(g_host, "missing", nullptr, 0, nullptr, &set_error);
      g_host->check_endpoint(g_host, nullptr, 0, nullptr, 10, &set_error);
   }
   fill_info(info, DPP_WORKSPACE_STOPPED);
   return DPP_OK;
}

dpp_status backend_create(dpp_backend*, const dpp_workspace_spec*, dpp_workspace_info* info, dpp_error*) {
   if (mode("backend.create.throws-int")) throw 7;
   if (mode("backend.create.throws-std")) throw std::logic_error("create blew up");
   fill_info(info, DPP_WORKSPACE_RUNNING);
   if (mode("backend.create.root-user")) std::strcpy(info->ssh_user, "root");
   return DPP_OK;
}

dpp_status backend_stop(dpp_backend*, const char*, dpp_error*) {
   if (mode("backend.stop.throws")) throw std::bad_alloc();
   return DPP_OK;
}

dpp_status backend_remove(dpp_backend*, const char*, uint32_t, dpp_error*) {
   if (mode("backend.remove.throws")) throw "a C string";
   return DPP_OK;
}

dpp_status backend_factory_create(const dpp_backend_factory*, const dpp_host*, const dpp_options*,
                                  dpp_backend** out, dpp_error* error) {
   if (mode("backend.factory.throws")) throw std::runtime_error("factory blew up");
   if (mode("backend.factory.null-object")) return DPP_OK;
   if (mode("backend.factory.error-unterminated")) return unterminated_error(error, DPP_E_CONFIG);
   auto* backend = new dpp_backend{};
   backend->struct_size = sizeof *backend;
   backend->destroy = &backend_destroy;
   backend->check = &backend_check;
   backend->create = &backend_create;
   backend->start = &backend_create;
   backend->stop = &backend_stop;
   backend->remove = &backend_remove;
   backend->status = &backend_status;
   *out = backend;
   return DPP_OK;
}

const dpp_backend_factory kBackendFactory{sizeof(dpp_backend_factory), &backend_factory_create};

// ---- auth ----

void auth_destroy(dpp_auth* self) {
   delete self;
}

dpp_status auth_prepare(dpp_auth*, uint32_t, dpp_error*) {
   if (mode("auth.prepare.throws")) throw std::runtime_error("prepare blew up");
   return DPP_OK;
}

dpp_status auth_workspace(dpp_auth*, dpp_workspace_auth* out, dpp_error*) {
   if (mode("auth.workspace.throws")) throw 3.14;
   out->user = "devpod";
   out->authorized_key = kHostKey;
   out->host_private_key_base64 = kHostPrivateBase64;
   out->host_public_key = kHostKey;
   if (mode("auth.workspace.null-host-key")) out->host_public_key = nullptr;
   if (mode("auth.workspace.root-user")) out->user = "root; rm -rf /";
   if (mode("auth.workspace.multiline-key"))
      out->authorized_key = "ssh-ed25519 AAAA x\ncommand=\"sh\" ssh-ed25519 AAAA attacker";
   if (mode("auth.workspace.huge-key")) out->host_public_key = huge('k').c_str();
   if (mode("auth.workspace.private-key-shell")) out->host_private_key_base64 = "$(touch /tmp/pwned)";
   return DPP_OK;
}

dpp_status auth_credentials(dpp_auth*, dpp_credentials* out, dpp_error*) {
   if (mode("auth.credentials.throws")) throw std::runtime_error("credentials blew up");
   out->kind = DPP_CREDENTIAL_PASSWORD;
   out->user = "devpod";
   out->password = "hostile-test-password";
   if (mode("auth.credentials.kind7")) out->kind = 7;
   if (mode("auth.credentials.null-user")) out->user = nullptr;
   if (mode("auth.credentials.option-user")) out->user = "-oProxyCommand=touch /tmp/pwned";
   if (mode("auth.credentials.huge-user")) out->user = huge('u').c_str();
   if (mode("auth.credentials.null-password")) out->password = nullptr;
   if (mode("auth.credentials.null-key-file")) {
      out->kind = DPP_CREDENTIAL_PRIVATE_KEY;
      out->private_key_file = nullptr;
   }
   return DPP_OK;
}

dpp_status auth_factory_create(const dpp_auth_factory*, const dpp_host*, const dpp_options*, dpp_auth** out,
                               dpp_error*) {
   auto* auth = new dpp_auth{};
   auth->struct_size = sizeof *auth;
   auth->destroy = &auth_destroy;
   auth->prepare = &auth_prepare;
   auth->workspace_auth = &auth_workspace;
   auth->credentials = &auth_credentials;
   *out = auth;
   return DPP_OK;
}

const dpp_auth_factory kAuthFactory{sizeof(dpp_auth_factory), &auth_factory_create};

// ---- transport ----

void transport_destroy(dpp_transport* self) {
   delete self;
}

dpp_status transport_probe(dpp_transport*, const dpp_ssh_target*, uint32_t, dpp_error* error) {
   if (mode("transport.probe.throws")) throw std::runtime_error("probe blew up");
   if (mode("transport.probe.error-unterminated")) return unterminated_error(error, DPP_E_CONNECT);
   return DPP_OK;
}

dpp_status transport_run(dpp_transport*, const dpp_run_request*, dpp_run_result* result, dpp_error* error) {
   if (mode("transport.run.throws")) throw std::runtime_error("run blew up");
   if (mode("transport.run.throws-int")) throw 255;
   if (mode("transport.run.error-unterminated")) return unterminated_error(error, DPP_E_CONNECTION_LOST);
   result->exit_code = 0;
   result->exit_signal[0] = '\0';
   if (mode("transport.run.exit-code-huge")) result->exit_code = 4242;
   if (mode("transport.run.exit-code-negative")) result->exit_code = -1;
   if (mode("transport.run.signal-garbage")) {
      result->exit_code = 137;
      std::memset(result->exit_signal, 0x1b, sizeof result->exit_signal);
   }
   if (mode("transport.run.sleep")) {
      // Keeps the provider running (tests look at the live process) until it is cancelled, for at
      // most a minute.
      announce_running();
      for (int i = 0; i < 6000 && !g_host->is_cancelled(g_host); ++i) {
         struct timespec pause {
            0, 10'000'000
         };
         nanosleep(&pause, nullptr);
      }
      return DPP_OK;
   }
   if (mode("transport.run.cancel-throws")) {
      // Waits for the user's SIGINT, then reports the cancellation.
      announce_running();
      while (!g_host->is_cancelled(g_host)) {
         struct timespec pause {
            0, 10'000'000
         };
         nanosleep(&pause, nullptr);
      }
      return fail(error, DPP_E_CANCELLED, "cancelled");
   }
   return DPP_OK;
}

void transport_cancel(dpp_transport*) {
   if (mode("transport.run.cancel-throws")) throw std::runtime_error("cancel blew up");
}

dpp_status transport_factory_create(const dpp_transport_factory*, const dpp_host*, const dpp_options*,
                                    dpp_transport** out, dpp_error*) {
   auto* transport = new dpp_transport{};
   transport->struct_size = sizeof *transport;
   transport->destroy = &transport_destroy;
   transport->probe = &transport_probe;
   transport->run = &transport_run;
   transport->cancel = &transport_cancel;
   *out = transport;
   return DPP_OK;
}

const dpp_transport_factory kTransportFactory{sizeof(dpp_transport_factory), &transport_factory_create};

// ---- entry ----

dpp_status plugin_init(const dpp_host* host, dpp_error* error) {
   if (mode("init.error-unterminated")) return unterminated_error(error, DPP_E_CONFIG);
   if (mode("init.ok-with-garbage")) std::memset(error->message, 0xff, sizeof error->message);
   g_host = host;
   return DPP_OK;
}

void plugin_deinit() {}

const void* plugin_get_factory(const char* id) {
   if (mode("get-factory.throws")) throw std::runtime_error("get_factory blew up");
   if (std::strcmp(id, DPP_BACKEND_FACTORY_ID) == 0) return &kBackendFactory;
   if (std::strcmp(id, DPP_AUTH_FACTORY_ID) == 0) return &kAuthFactory;
   if (std::strcmp(id, DPP_TRANSPORT_FACTORY_ID) == 0) return &kTransportFactory;
   return nullptr;
}

dpp_option_desc g_option{sizeof(dpp_option_desc),
                         "HOSTILE_LEVEL",
                         "How hostile.",
                         "1",
                         DPP_OPTION_INTEGER,
                         0,
                         nullptr,
                         "advanced"};

const dpp_option_desc* plugin_get_option(uint32_t index) {
   if (index != 0) return nullptr;
   if (mode("option.null-name")) g_option.name = nullptr;
   if (mode("option.huge-name")) g_option.name = huge('N').c_str();
   if (mode("option.escape-description")) g_option.description = huge_invalid_text().c_str();
   if (mode("option.newline-default")) g_option.default_value = "1\nDOKPLOY_API_TOKEN=stolen";
   if (mode("option.huge-group")) g_option.group = huge('g').c_str();
   return &g_option;
}

dpp_plugin_entry g_entry{sizeof(dpp_plugin_entry),
                         DPP_ABI_VERSION_INIT,
                         "test.hostile",
                         "0.0.1",
                         "Misbehaves on purpose (DPP_HOSTILE_MODE)",
                         &plugin_init,
                         &plugin_deinit,
                         &plugin_get_factory,
                         &plugin_get_option};

}  // namespace

extern "C" DPP_EXPORT const dpp_plugin_entry* dpp_get_plugin_entry(uint32_t, uint32_t) {
   if (mode("entry.huge-strings")) {
      g_entry.version = huge('9').c_str();
      g_entry.description = huge_invalid_text().c_str();
   }
   if (mode("entry.huge-id")) g_entry.id = huge('a').c_str();
   if (mode("entry.null-id")) g_entry.id = nullptr;
   if (mode("entry.escape-id")) g_entry.id = "test\x1b[2J";
   return &g_entry;
}

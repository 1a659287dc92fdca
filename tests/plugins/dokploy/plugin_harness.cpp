// The fake host and the backend handle that drive dpp-dokploy.so through its C ABI.
#include "plugin_harness.hpp"

#include <dlfcn.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "support/emulator.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::dokploy {

// ---- FakeHost -------------------------------------------------------------------------------

FakeHost::FakeHost(std::string machine_id) : machine_id_(std::move(machine_id)) {
   table_.struct_size = sizeof table_;
   table_.abi_version = DPP_ABI_VERSION_INIT;
   table_.name = "dokploy-plugin-tests";
   table_.version = "0.0.0";
   table_.host_data = this;
   table_.log = &FakeHost::log;
   table_.log_enabled = &FakeHost::log_enabled;
   table_.is_cancelled = &FakeHost::is_cancelled;
   table_.machine_id = &FakeHost::machine_id_of;
   table_.machine_folder = &FakeHost::machine_folder;
   table_.state_get = &FakeHost::state_get;
   table_.state_set = &FakeHost::state_set;
   table_.check_endpoint = &FakeHost::check_endpoint;
}

std::map<std::string, std::string> FakeHost::state() const {
   std::lock_guard lock(mutex_);
   return state_;
}

void FakeHost::set_state(std::map<std::string, std::string> state) {
   std::lock_guard lock(mutex_);
   state_ = std::move(state);
}

std::vector<LogLine> FakeHost::logs() const {
   std::lock_guard lock(mutex_);
   return logs_;
}

std::string FakeHost::log_text() const {
   std::string out;
   for (const auto& line : logs()) out += line.text + "\n";
   return out;
}

void FakeHost::clear_logs() {
   std::lock_guard lock(mutex_);
   logs_.clear();
}

std::vector<std::pair<std::string, uint16_t>> FakeHost::endpoint_calls() const {
   std::lock_guard lock(mutex_);
   return endpoint_calls_;
}

void FakeHost::log(const dpp_host* host, int32_t level, const char* message) {
   FakeHost& me = mutable_self(host);
   static const char* names[] = {"trace", "debug", "info", "warn", "error", "critical"};
   const char* name = level >= 0 && level <= 5 ? names[level] : "?";
   std::fprintf(stderr, "[%s %s] %s\n", me.machine_id_.empty() ? "-" : me.machine_id_.c_str(), name, message);
   std::lock_guard lock(me.mutex_);
   me.logs_.push_back({level, message});
}

bool FakeHost::log_enabled(const dpp_host*, int32_t) {
   return true;  // capture everything: the secret checks read every level
}

bool FakeHost::is_cancelled(const dpp_host* host) {
   FakeHost& me = mutable_self(host);
   if (me.cancel_countdown_ > 0 && --me.cancel_countdown_ == 0) me.cancelled_ = true;
   return me.cancelled_;
}

const char* FakeHost::machine_id_of(const dpp_host* host) {
   const FakeHost& me = self(host);
   return me.machine_id_.empty() ? nullptr : me.machine_id_.c_str();
}

const char* FakeHost::machine_folder(const dpp_host*) {
   return nullptr;
}

dpp_status FakeHost::state_get(const dpp_host* host, const char* key, char* buffer, size_t capacity,
                               size_t* needed, dpp_error*) {
   FakeHost& me = mutable_self(host);
   std::lock_guard lock(me.mutex_);
   auto it = me.state_.find(key);
   if (it == me.state_.end()) return DPP_E_NOT_FOUND;
   if (it->second.size() + 1 > capacity) {
      if (needed) *needed = it->second.size() + 1;
      return DPP_E_BUFFER_TOO_SMALL;
   }
   std::memcpy(buffer, it->second.c_str(), it->second.size() + 1);
   return DPP_OK;
}

dpp_status FakeHost::state_set(const dpp_host* host, const char* key, const char* value, dpp_error*) {
   FakeHost& me = mutable_self(host);
   std::lock_guard lock(me.mutex_);
   if (value)
      me.state_[key] = value;
   else
      me.state_.erase(key);
   return DPP_OK;
}

dpp_status FakeHost::check_endpoint(const dpp_host* host, const char* hostname, uint16_t port,
                                    const char* expected_host_key, uint32_t, dpp_error* error) {
   FakeHost& me = mutable_self(host);
   {
      std::lock_guard lock(me.mutex_);
      me.endpoint_calls_.emplace_back(hostname ? hostname : "", port);
   }
   if (!me.endpoint_check) return dpp_error_set(error, DPP_E_UNSUPPORTED, "no SSH transport in this test");
   std::string message;
   const dpp_status status =
       me.endpoint_check(hostname ? hostname : "", port, expected_host_key ? expected_host_key : "", message);
   if (status != DPP_OK) dpp_error_set(error, status, message.c_str());
   return status;
}

// ---- specs ----------------------------------------------------------------------------------

std::string TestSpec::host_key() const {
   for (const auto& [name, value] : env)
      if (name == "DPP_SSH_HOST_KEY") return value;
   return "";
}

TestSpec host_like_spec(const std::string& machine_id) {
   TestSpec spec;
   spec.machine_id = machine_id;
   std::ifstream file(source_dir() + "/core/workspace/workspace-bootstrap.sh");
   std::stringstream script;
   script << file.rdbuf();
   spec.command = {"/bin/sh", "-c", script.str()};
   spec.env = {{"DPP_SSH_PORT", "2222"},
               {"DPP_SSH_USER", "devpod"},
               {"DPP_SSH_PASSWORD_HASH", "$6$Xq3bK9aZ$" + std::string(86, 'a') + "./Bz"},
               {"DPP_SSH_HOST_KEY", random_hex(32) + "=="},
               {"DPP_DOCKERD", "auto"}};
   spec.volumes = {{"home", "/home/devpod"}, {"docker", "/var/lib/docker"}};
   spec.memory_limit_bytes = 4ull << 30;
   spec.cpu_limit_millis = 1500;
   spec.flags = DPP_WORKSPACE_PRIVILEGED;
   return spec;
}

// ---- the plugin -----------------------------------------------------------------------------

namespace {

struct LoadedPlugin {
   void* handle = nullptr;
   const dpp_plugin_entry* entry = nullptr;
   const dpp_backend_factory* factory = nullptr;
};

const LoadedPlugin& plugin() {
   static const LoadedPlugin loaded = [] {
      LoadedPlugin out;
      const std::string file = plugin_dir() + "/dpp-dokploy.so";
      out.handle = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (!out.handle) throw std::runtime_error("cannot load " + file + ": " + ::dlerror());
      auto get = reinterpret_cast<dpp_get_plugin_entry_fn>(::dlsym(out.handle, DPP_PLUGIN_ENTRY_SYMBOL));
      if (!get) throw std::runtime_error(file + " has no " DPP_PLUGIN_ENTRY_SYMBOL);
      out.entry = get(DPP_ABI_VERSION_MAJOR, DPP_ABI_VERSION_MINOR);
      if (!out.entry)
         throw std::runtime_error(file + " refused ABI " + std::to_string(DPP_ABI_VERSION_MAJOR));
      // The process-wide host given to init lives as long as the process (never deinit'ed).
      static FakeHost* process_host = new FakeHost();
      dpp_error error{};
      error.struct_size = sizeof error;
      if (out.entry->init(process_host->raw(), &error) != DPP_OK)
         throw std::runtime_error("init failed: " + std::string(error.message));
      out.factory = static_cast<const dpp_backend_factory*>(out.entry->get_factory(DPP_BACKEND_FACTORY_ID));
      if (!out.factory) throw std::runtime_error(file + " offers no backend");
      return out;
   }();
   return loaded;
}

struct OwnedSpec {
   explicit OwnedSpec(const TestSpec& spec) : source(spec) {
      for (const auto& part : source.command) command.push_back(part.c_str());
      for (const auto& [name, value] : source.env) env.push_back({name.c_str(), value.c_str()});
      for (const auto& [name, path] : source.volumes) volumes.push_back({name.c_str(), path.c_str()});
      raw.struct_size = sizeof raw;
      raw.machine_id = source.machine_id.c_str();
      raw.image = source.image.c_str();
      raw.command = command.data();
      raw.command_count = static_cast<uint32_t>(command.size());
      raw.env = env.data();
      raw.env_count = static_cast<uint32_t>(env.size());
      raw.ssh_port = source.ssh_port;
      raw.volumes = volumes.data();
      raw.volume_count = static_cast<uint32_t>(volumes.size());
      raw.memory_limit_bytes = source.memory_limit_bytes;
      raw.cpu_limit_millis = source.cpu_limit_millis;
      raw.flags = source.flags;
      raw.timeout_ms = source.timeout_ms;
   }
   TestSpec source;
   std::vector<const char*> command;
   std::vector<dpp_env_var> env;
   std::vector<dpp_volume> volumes;
   dpp_workspace_spec raw{};
};

dpp_error fresh_error() {
   dpp_error error{};
   error.struct_size = sizeof error;
   return error;
}

dpp_workspace_info fresh_info() {
   dpp_workspace_info info{};
   info.struct_size = sizeof info;
   return info;
}

}  // namespace

const dpp_plugin_entry& BackendUnderTest::entry() {
   return *plugin().entry;
}

std::vector<dpp_option_desc> BackendUnderTest::declared_options() {
   std::vector<dpp_option_desc> out;
   for (uint32_t i = 0;; ++i) {
      const dpp_option_desc* desc = plugin().entry->get_option(i);
      if (!desc) break;
      out.push_back(*desc);
   }
   return out;
}

BackendUnderTest::BackendUnderTest(FakeHost& host, const std::map<std::string, std::string>& options)
    : host_(host) {
   std::vector<dpp_option_value> values;
   for (const auto& [name, value] : options) values.push_back({name.c_str(), value.c_str()});
   dpp_options raw{};
   raw.struct_size = sizeof raw;
   raw.count = static_cast<uint32_t>(values.size());
   raw.items = values.data();
   dpp_error error = fresh_error();
   made_ = plugin().factory->create(plugin().factory, host.raw(), &raw, &backend_, &error);
   if (made_ != DPP_OK) made_message_ = error.message;
}

BackendUnderTest::~BackendUnderTest() {
   if (backend_) backend_->destroy(backend_);
}

CallResult BackendUnderTest::create(const TestSpec& spec) {
   OwnedSpec owned(spec);
   CallResult result;
   result.info = fresh_info();
   dpp_error error = fresh_error();
   result.status = backend_->create(backend_, &owned.raw, &result.info, &error);
   if (result.status != DPP_OK) result.message = error.message;
   return result;
}

CallResult BackendUnderTest::start(const TestSpec& spec) {
   OwnedSpec owned(spec);
   CallResult result;
   result.info = fresh_info();
   dpp_error error = fresh_error();
   result.status = backend_->start(backend_, &owned.raw, &result.info, &error);
   if (result.status != DPP_OK) result.message = error.message;
   return result;
}

CallResult BackendUnderTest::stop(const std::string& machine_id) {
   CallResult result;
   dpp_error error = fresh_error();
   result.status = backend_->stop(backend_, machine_id.c_str(), &error);
   if (result.status != DPP_OK) result.message = error.message;
   return result;
}

CallResult BackendUnderTest::remove(const std::string& machine_id, bool keep_volumes) {
   CallResult result;
   dpp_error error = fresh_error();
   result.status =
       backend_->remove(backend_, machine_id.c_str(), keep_volumes ? DPP_REMOVE_KEEP_VOLUMES : 0, &error);
   if (result.status != DPP_OK) result.message = error.message;
   return result;
}

CallResult BackendUnderTest::status(const std::string& machine_id) {
   CallResult result;
   result.info = fresh_info();
   dpp_error error = fresh_error();
   result.status = backend_->status(backend_, machine_id.c_str(), &result.info, &error);
   if (result.status != DPP_OK) result.message = error.message;
   return result;
}

CallResult BackendUnderTest::check(std::vector<CheckLine>& lines) {
   CallResult result;
   dpp_error error = fresh_error();
   auto collect = [](void* context, const char* name, int32_t outcome, const char* message, const char* fix) {
      static_cast<std::vector<CheckLine>*>(context)->push_back(
          {name ? name : "", outcome, message ? message : "", fix ? fix : ""});
   };
   result.status = backend_->check(backend_, collect, &lines, &error);
   if (result.status != DPP_OK) result.message = error.message;
   return result;
}

std::string state_name(int32_t state) {
   switch (state) {
      case DPP_WORKSPACE_NOT_FOUND: return "NOT_FOUND";
      case DPP_WORKSPACE_STOPPED: return "STOPPED";
      case DPP_WORKSPACE_BUSY: return "BUSY";
      case DPP_WORKSPACE_RUNNING: return "RUNNING";
      case DPP_WORKSPACE_FAILED: return "FAILED";
      default: return "state " + std::to_string(state);
   }
}

}  // namespace dpp::test::dokploy

// A dpp_host for driving a plugin without the real host: it records log lines, keeps state in a
// map and lets a test flip cancellation and the log level.
#pragma once

#include <dpp/dpp.h>

#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace dpp::test {

class FakeHost {
 public:
   FakeHost() {
      table_.struct_size = sizeof table_;
      table_.abi_version = DPP_ABI_VERSION_INIT;
      table_.name = "fake-host";
      table_.version = "0.0.0";
      table_.host_data = this;
      table_.log = &FakeHost::log;
      table_.log_enabled = &FakeHost::log_enabled;
      table_.is_cancelled = &FakeHost::is_cancelled;
      table_.machine_id = &FakeHost::machine_id;
      table_.machine_folder = &FakeHost::machine_folder;
      table_.state_get = &FakeHost::state_get;
      table_.state_set = &FakeHost::state_set;
      table_.check_endpoint = &FakeHost::check_endpoint;
      table_.wait_for_endpoint = &FakeHost::wait_for_endpoint;
   }
   FakeHost(const FakeHost&) = delete;
   FakeHost& operator=(const FakeHost&) = delete;

   const dpp_host* get() const { return &table_; }
   // Pretends to be a host built before `member` was appended (see version.h).
   void cut_before(std::size_t member_offset) { table_.struct_size = static_cast<uint32_t>(member_offset); }

   std::vector<std::pair<int32_t, std::string>> lines;
   std::map<std::string, std::string> state;
   int32_t level = DPP_LOG_TRACE;
   bool cancelled = false;
   std::string machine = "m1";
   std::string folder = "/tmp/machine";
   int state_get_calls = 0;
   bool state_get_fails = false;
   // What check_endpoint and wait_for_endpoint answer, and the calls they got ("check", "wait").
   dpp_status endpoint_answer = DPP_OK;
   std::string endpoint_message;
   std::vector<std::string> endpoint_calls;

 private:
   static FakeHost& self(const dpp_host* host) { return *static_cast<FakeHost*>(host->host_data); }
   static void log(const dpp_host* host, int32_t level, const char* message) {
      self(host).lines.emplace_back(level, message);
   }
   static bool log_enabled(const dpp_host* host, int32_t level) { return level >= self(host).level; }
   static bool is_cancelled(const dpp_host* host) { return self(host).cancelled; }
   static const char* machine_id(const dpp_host* host) { return self(host).machine.c_str(); }
   static const char* machine_folder(const dpp_host* host) { return self(host).folder.c_str(); }
   static dpp_status state_get(const dpp_host* host, const char* key, char* buffer, size_t capacity,
                               size_t* needed, dpp_error* error) {
      FakeHost& fake = self(host);
      ++fake.state_get_calls;
      if (fake.state_get_fails) return dpp_error_set(error, DPP_E_IO, "the fake state file is unreadable");
      auto it = fake.state.find(key);
      if (it == fake.state.end()) return dpp_error_set(error, DPP_E_NOT_FOUND, "no such key");
      if (needed) *needed = it->second.size() + 1;
      if (capacity < it->second.size() + 1) return dpp_error_set(error, DPP_E_BUFFER_TOO_SMALL, "too small");
      std::memcpy(buffer, it->second.c_str(), it->second.size() + 1);
      return DPP_OK;
   }
   static dpp_status state_set(const dpp_host* host, const char* key, const char* value, dpp_error* error) {
      if (std::strlen(key) > 64) return dpp_error_set(error, DPP_E_INVALID_ARGUMENT, "key too long");
      if (value)
         self(host).state[key] = value;
      else
         self(host).state.erase(key);
      return DPP_OK;
   }

   static dpp_status endpoint(const dpp_host* host, const char* call, dpp_error* error) {
      FakeHost& fake = self(host);
      fake.endpoint_calls.emplace_back(call);
      if (fake.endpoint_answer == DPP_OK) return DPP_OK;
      return dpp_error_set(error, fake.endpoint_answer, fake.endpoint_message.c_str());
   }
   static dpp_status check_endpoint(const dpp_host* host, const char*, uint16_t, const char*, uint32_t,
                                    dpp_error* error) {
      return endpoint(host, "check", error);
   }
   static dpp_status wait_for_endpoint(const dpp_host* host, const char*, uint16_t, const char*, uint32_t,
                                       dpp_error* error) {
      return endpoint(host, "wait", error);
   }

   dpp_host table_{};
};

}  // namespace dpp::test

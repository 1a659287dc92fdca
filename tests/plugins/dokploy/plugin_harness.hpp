// Drives dpp-dokploy.so through its C ABI the way the host does, with a fake host: machine state
// in memory, log lines captured, cancellation on demand, and SSH endpoint checks answered by the
// test.
#pragma once

#include <dpp/dpp.h>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace dpp::test::dokploy {

struct LogLine {
   int level = 0;
   std::string text;
};

class FakeHost {
 public:
   using EndpointCheck = std::function<dpp_status(const std::string& host, uint16_t port,
                                                  const std::string& expected_key, std::string& message)>;

   explicit FakeHost(std::string machine_id = "");
   FakeHost(const FakeHost&) = delete;
   FakeHost& operator=(const FakeHost&) = delete;

   const dpp_host* raw() const { return &table_; }
   const std::string& machine_id() const { return machine_id_; }

   // The machine state (what dpp_host.state_get/state_set see).
   std::map<std::string, std::string> state() const;
   void set_state(std::map<std::string, std::string> state);

   std::vector<LogLine> logs() const;
   std::string log_text() const;
   void clear_logs();

   // Set from any thread: the plugin sees it at its next look.
   void cancel() { cancelled_ = true; }
   // Cancels after this many calls of is_cancelled (a deterministic "SIGINT mid-create").
   void cancel_after_checks(int checks) { cancel_countdown_ = checks; }

   // Answers dpp_host.check_endpoint; unset: DPP_E_UNSUPPORTED.
   EndpointCheck endpoint_check;
   // Every (host, port) the plugin asked about, in order.
   std::vector<std::pair<std::string, uint16_t>> endpoint_calls() const;

 private:
   static const FakeHost& self(const dpp_host* host) {
      return *static_cast<const FakeHost*>(host->host_data);
   }
   static FakeHost& mutable_self(const dpp_host* host) { return *static_cast<FakeHost*>(host->host_data); }
   static void log(const dpp_host* host, int32_t level, const char* message);
   static bool log_enabled(const dpp_host* host, int32_t level);
   static bool is_cancelled(const dpp_host* host);
   static const char* machine_id_of(const dpp_host* host);
   static const char* machine_folder(const dpp_host* host);
   static dpp_status state_get(const dpp_host* host, const char* key, char* buffer, size_t capacity,
                               size_t* needed, dpp_error* error);
   static dpp_status state_set(const dpp_host* host, const char* key, const char* value, dpp_error* error);
   static dpp_status check_endpoint(const dpp_host* host, const char* hostname, uint16_t port,
                                    const char* expected_host_key, uint32_t timeout_ms, dpp_error* error);

   dpp_host table_{};
   std::string machine_id_;
   mutable std::mutex mutex_;
   std::map<std::string, std::string> state_;
   std::vector<LogLine> logs_;
   std::vector<std::pair<std::string, uint16_t>> endpoint_calls_;
   std::atomic<bool> cancelled_{false};
   std::atomic<int> cancel_countdown_{-1};
};

// What the host would hand to create/start, with owned strings.
struct TestSpec {
   std::string machine_id;
   std::string image = "cruizba/ubuntu-dind:latest";
   std::vector<std::string> command;
   std::vector<std::pair<std::string, std::string>> env;
   std::vector<std::pair<std::string, std::string>> volumes;
   uint16_t ssh_port = 2222;
   uint64_t memory_limit_bytes = 0;
   uint64_t cpu_limit_millis = 0;
   uint32_t flags = 0;
   uint32_t timeout_ms = 60'000;
   // The value of DPP_SSH_HOST_KEY (what the workspace proves itself with in the emulated SSH).
   std::string host_key() const;
};

// A spec like the host's: the bootstrap through /bin/sh -c (full of '$'), DPP_SSH_* with a
// $6$ password hash and a random host key, home and docker volumes, privileged, limits.
TestSpec host_like_spec(const std::string& machine_id);

struct CallResult {
   dpp_status status = DPP_OK;
   std::string message;
   dpp_workspace_info info{};
   bool ok() const { return status == DPP_OK; }
};

struct CheckLine {
   std::string name;
   int32_t result = 0;
   std::string message;
   std::string fix;
};

// The loaded plugin (once per process) and one backend instance made through its factory.
class BackendUnderTest {
 public:
   // Options by name, as the host passes them (canonical forms).
   BackendUnderTest(FakeHost& host, const std::map<std::string, std::string>& options);
   ~BackendUnderTest();
   BackendUnderTest(const BackendUnderTest&) = delete;
   BackendUnderTest& operator=(const BackendUnderTest&) = delete;

   // The factory's result: a failed creation leaves the backend unusable.
   dpp_status made() const { return made_; }
   const std::string& made_message() const { return made_message_; }

   CallResult create(const TestSpec& spec);
   CallResult start(const TestSpec& spec);
   CallResult stop(const std::string& machine_id);
   CallResult remove(const std::string& machine_id, bool keep_volumes = false);
   CallResult status(const std::string& machine_id);
   CallResult check(std::vector<CheckLine>& lines);

   // The plugin's declared options.
   static std::vector<dpp_option_desc> declared_options();
   static const dpp_plugin_entry& entry();

 private:
   FakeHost& host_;
   dpp_backend* backend_ = nullptr;
   dpp_status made_ = DPP_OK;
   std::string made_message_;
};

std::string state_name(int32_t state);

}  // namespace dpp::test::dokploy

// Drives a transport plugin through its C ABI exactly as the host does: the library is opened
// and checked by the host's own loader (dpp_core's PluginLibrary), initialised with a fake host
// that records every log line, and its transport is made through the factory with options.
// Runs join the transport to pipes the test reads and writes.
#pragma once

#include <dpp/dpp.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace dpp::core {
class PluginLibrary;
}

namespace dpp::test {

// What a test logs in with, owning every string the C structs point to.
struct LoginSpec {
   int32_t kind = DPP_CREDENTIAL_PRIVATE_KEY;
   std::string user;
   std::string private_key_file;
   std::string public_key_file;
   std::string password;
};

struct TargetSpec {
   std::string host = "127.0.0.1";
   uint16_t port = 0;
   std::string host_key;
   LoginSpec login;
   uint32_t connect_timeout_ms = 20'000;
};

// The C view of a TargetSpec (valid while the TargetSpec lives and is not changed).
class CTarget {
 public:
   explicit CTarget(const TargetSpec& spec, bool with_credentials = true);
   const dpp_ssh_target* get() const { return &target_; }

 private:
   dpp_credentials credentials_{};
   dpp_ssh_target target_{};
};

struct RunOutcome {
   dpp_status status = DPP_E_INTERNAL;
   int exit_code = -1;
   std::string exit_signal;
   std::string message;  // the error's message when status != DPP_OK
   std::string out;
   std::string err;
   double seconds = 0;
   bool hung = false;  // the hang guard cancelled it
};

// Records the plugin's log lines (and echoes them to stderr for the test log).
class LogRecorder {
 public:
   void add(int32_t level, const std::string& line);
   std::vector<std::string> lines() const;

 private:
   mutable std::mutex mutex_;
   std::vector<std::string> lines_;
};

class LoadedTransport {
 public:
   // Loads dpp-<id>.so from the build's plugin folder and creates a transport with `options`
   // (canonical values, as the host passes them). Creation errors are kept: see created().
   explicit LoadedTransport(const std::string& plugin_id,
                            const std::map<std::string, std::string>& options = {});
   ~LoadedTransport();
   LoadedTransport(const LoadedTransport&) = delete;
   LoadedTransport& operator=(const LoadedTransport&) = delete;

   bool created() const { return transport_ != nullptr; }
   dpp_status create_status() const { return create_status_; }
   const std::string& create_message() const { return create_message_; }
   dpp_transport* raw() const { return transport_; }
   // The option names the plugin declares through get_option.
   std::vector<std::string> option_names() const;
   std::vector<std::string> log_lines() const { return log_.lines(); }

   dpp_status probe(const TargetSpec& target, uint32_t timeout_ms, std::string* message = nullptr);
   void cancel() { transport_->cancel(transport_); }

   // Runs `command` with `input` on stdin (then EOF), collecting stdout and stderr. The hang
   // guard cancels a run that has not ended after `guard` and marks it hung.
   RunOutcome run(const TargetSpec& target, const std::string& command, const std::string& input = "",
                  std::chrono::seconds guard = std::chrono::seconds(300));

 private:
   static void host_log(const dpp_host* host, int32_t level, const char* message);
   static bool host_log_enabled(const dpp_host* host, int32_t level);
   static bool host_cancelled(const dpp_host* host);

   std::shared_ptr<core::PluginLibrary> library_;
   dpp_host host_{};
   LogRecorder log_;
   dpp_transport* transport_ = nullptr;
   dpp_status create_status_ = DPP_OK;
   std::string create_message_;
};

// A run in the background joined to pipes the test holds: it writes stdin (or closes it) and
// reads stdout/stderr itself, for interactive, streaming and interruption tests.
class BackgroundRun {
 public:
   BackgroundRun(LoadedTransport& transport, const TargetSpec& target, std::string command);
   ~BackgroundRun();
   BackgroundRun(const BackgroundRun&) = delete;
   BackgroundRun& operator=(const BackgroundRun&) = delete;

   int stdin_fd() const { return stdin_write_; }
   int stdout_fd() const { return stdout_read_; }
   int stderr_fd() const { return stderr_read_; }
   void close_stdin();
   // Reads stdout until `text` has appeared (true) or `timeout` passed / EOF (false); what was
   // read is appended to `seen`.
   bool read_stdout_until(const std::string& text, std::string& seen, std::chrono::milliseconds timeout);
   // Writes all of `data` to stdin (false when the pipe broke).
   bool write_stdin(const std::string& data);
   // Waits for run() to return; after `guard` the run is cancelled and marked hung. Reading
   // stdout and stderr stays the test's business (they reach EOF once run() returned).
   RunOutcome wait(std::chrono::seconds guard = std::chrono::seconds(120));
   bool finished() const { return done_.load(); }

 private:
   LoadedTransport& transport_;
   TargetSpec target_;
   std::string command_;
   int stdin_read_ = -1, stdin_write_ = -1, stdout_read_ = -1, stdout_write_ = -1, stderr_read_ = -1,
       stderr_write_ = -1;
   std::atomic<bool> done_{false};
   RunOutcome outcome_;
   std::thread thread_;
   std::chrono::steady_clock::time_point started_;
   std::string out_buffer_;
};

// Reads a descriptor to EOF on a thread, handing each chunk to `sink`.
class DrainThread {
 public:
   DrainThread(int fd, std::function<void(const char*, std::size_t)> sink);
   ~DrainThread();
   void join();

 private:
   std::thread thread_;
};

}  // namespace dpp::test

// Loading transports through the C ABI and running them on pipes.
#include "transport_harness.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "loader/plugin_library.hpp"
#include "support/test_paths.hpp"

namespace dpp::test {
namespace {

// The host ignores SIGPIPE; so do the tests (a writer racing a finished run gets EPIPE).
const bool kSigpipeIgnored = [] {
   ::signal(SIGPIPE, SIG_IGN);
   return true;
}();

void make_pipe(int& read_end, int& write_end) {
   int fds[2];
   if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
   read_end = fds[0];
   write_end = fds[1];
}

void close_fd(int& fd) {
   if (fd >= 0) ::close(fd);
   fd = -1;
}

const char* level_name(int32_t level) {
   static const char* names[] = {"trace", "debug", "info", "warn", "error", "critical"};
   return level >= 0 && level <= 5 ? names[level] : "?";
}

}  // namespace

CTarget::CTarget(const TargetSpec& spec, bool with_credentials) {
   credentials_.struct_size = sizeof credentials_;
   credentials_.kind = spec.login.kind;
   credentials_.user = spec.login.user.c_str();
   credentials_.private_key_file =
       spec.login.private_key_file.empty() ? nullptr : spec.login.private_key_file.c_str();
   credentials_.public_key_file =
       spec.login.public_key_file.empty() ? nullptr : spec.login.public_key_file.c_str();
   credentials_.password = spec.login.password.empty() ? nullptr : spec.login.password.c_str();
   target_.struct_size = sizeof target_;
   target_.host = spec.host.c_str();
   target_.port = spec.port;
   target_.host_key = spec.host_key.c_str();
   target_.credentials = with_credentials ? &credentials_ : nullptr;
   target_.connect_timeout_ms = spec.connect_timeout_ms;
}

void LogRecorder::add(int32_t level, const std::string& line) {
   std::fprintf(stderr, "[plugin %s] %s\n", level_name(level), line.c_str());
   std::lock_guard<std::mutex> lock(mutex_);
   lines_.push_back(line);
}

std::vector<std::string> LogRecorder::lines() const {
   std::lock_guard<std::mutex> lock(mutex_);
   return lines_;
}

void LoadedTransport::host_log(const dpp_host* host, int32_t level, const char* message) {
   static_cast<LoadedTransport*>(host->host_data)->log_.add(level, message ? message : "");
}
bool LoadedTransport::host_log_enabled(const dpp_host*, int32_t) {
   return true;
}
bool LoadedTransport::host_cancelled(const dpp_host*) {
   return false;
}

LoadedTransport::LoadedTransport(const std::string& plugin_id,
                                 const std::map<std::string, std::string>& options) {
   (void)kSigpipeIgnored;
   host_.struct_size = sizeof host_;
   host_.abi_version = DPP_ABI_VERSION_INIT;
   host_.name = "dokploy-provider-tests";
   host_.version = "0";
   host_.host_data = this;
   host_.log = &LoadedTransport::host_log;
   host_.log_enabled = &LoadedTransport::host_log_enabled;
   host_.is_cancelled = &LoadedTransport::host_cancelled;

   library_ = core::PluginLibrary::open(plugin_dir() + "/dpp-" + plugin_id + ".so");
   library_->initialise(&host_);
   const auto* factory =
       static_cast<const dpp_transport_factory*>(library_->factory(core::PluginKind::transport));
   std::vector<dpp_option_value> values;
   for (const auto& [name, value] : options) values.push_back({name.c_str(), value.c_str()});
   dpp_options view{sizeof(dpp_options), static_cast<uint32_t>(values.size()), values.data()};
   dpp_error error{};
   error.struct_size = sizeof error;
   create_status_ = factory->create(factory, &host_, &view, &transport_, &error);
   if (create_status_ != DPP_OK) {
      create_message_ = error.message;
      transport_ = nullptr;
   }
}

LoadedTransport::~LoadedTransport() {
   if (transport_) transport_->destroy(transport_);
   transport_ = nullptr;
   library_.reset();
}

std::vector<std::string> LoadedTransport::option_names() const {
   std::vector<std::string> names;
   for (const auto& option : library_->options()) names.push_back(option.name);
   return names;
}

dpp_status LoadedTransport::probe(const TargetSpec& target, uint32_t timeout_ms, std::string* message) {
   CTarget c(target, /*with_credentials=*/false);
   dpp_error error{};
   error.struct_size = sizeof error;
   const dpp_status status = transport_->probe(transport_, c.get(), timeout_ms, &error);
   if (message) *message = status == DPP_OK ? "" : error.message;
   return status;
}

RunOutcome LoadedTransport::run(const TargetSpec& target, const std::string& command,
                                const std::string& input, std::chrono::seconds guard) {
   BackgroundRun background(*this, target, command);
   std::string out, err;
   DrainThread out_drain(background.stdout_fd(),
                         [&](const char* data, std::size_t size) { out.append(data, size); });
   DrainThread err_drain(background.stderr_fd(),
                         [&](const char* data, std::size_t size) { err.append(data, size); });
   std::thread writer([&] {
      background.write_stdin(input);
      background.close_stdin();
   });
   RunOutcome outcome = background.wait(guard);
   writer.join();
   out_drain.join();
   err_drain.join();
   outcome.out = std::move(out);
   outcome.err = std::move(err);
   return outcome;
}

BackgroundRun::BackgroundRun(LoadedTransport& transport, const TargetSpec& target, std::string command)
    : transport_(transport), target_(target), command_(std::move(command)) {
   make_pipe(stdin_read_, stdin_write_);
   make_pipe(stdout_read_, stdout_write_);
   make_pipe(stderr_read_, stderr_write_);
   started_ = std::chrono::steady_clock::now();
   thread_ = std::thread([this] {
      CTarget c(target_);
      dpp_run_request request{};
      request.struct_size = sizeof request;
      request.target = c.get();
      request.command = command_.c_str();
      request.stdin_fd = stdin_read_;
      request.stdout_fd = stdout_write_;
      request.stderr_fd = stderr_write_;
      dpp_run_result result{};
      result.struct_size = sizeof result;
      dpp_error error{};
      error.struct_size = sizeof error;
      outcome_.status = transport_.raw()->run(transport_.raw(), &request, &result, &error);
      outcome_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
      if (outcome_.status == DPP_OK) {
         outcome_.exit_code = result.exit_code;
         outcome_.exit_signal = result.exit_signal;
      } else {
         outcome_.message = error.message;
      }
      // Like a finished host process: the run's ends of the pipes go away.
      close_fd(stdin_read_);
      close_fd(stdout_write_);
      close_fd(stderr_write_);
      done_.store(true);
   });
}

BackgroundRun::~BackgroundRun() {
   if (thread_.joinable()) {
      if (!done_.load()) transport_.cancel();
      thread_.join();
   }
   for (int* fd : {&stdin_read_, &stdin_write_, &stdout_read_, &stdout_write_, &stderr_read_, &stderr_write_})
      close_fd(*fd);
}

void BackgroundRun::close_stdin() {
   close_fd(stdin_write_);
}

bool BackgroundRun::write_stdin(const std::string& data) {
   std::size_t done = 0;
   while (done < data.size()) {
      const ssize_t n = ::write(stdin_write_, data.data() + done, data.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
   }
   return true;
}

bool BackgroundRun::read_stdout_until(const std::string& text, std::string& seen,
                                      std::chrono::milliseconds timeout) {
   const auto deadline = std::chrono::steady_clock::now() + timeout;
   while (seen.find(text) == std::string::npos) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd fd{stdout_read_, POLLIN, 0};
      if (::poll(&fd, 1, static_cast<int>(left.count())) <= 0) continue;
      char buffer[65536];
      const ssize_t n = ::read(stdout_read_, buffer, sizeof buffer);
      if (n <= 0) return false;
      seen.append(buffer, static_cast<std::size_t>(n));
   }
   return true;
}

RunOutcome BackgroundRun::wait(std::chrono::seconds guard) {
   const auto deadline = started_ + guard;
   while (!done_.load() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
   bool hung = false;
   if (!done_.load()) {
      hung = true;
      transport_.cancel();
   }
   thread_.join();
   RunOutcome outcome = outcome_;
   outcome.hung = hung;
   return outcome;
}

DrainThread::DrainThread(int fd, std::function<void(const char*, std::size_t)> sink) {
   thread_ = std::thread([fd, sink = std::move(sink)] {
      std::vector<char> buffer(1 << 16);
      for (;;) {
         const ssize_t n = ::read(fd, buffer.data(), buffer.size());
         if (n < 0 && errno == EINTR) continue;
         if (n <= 0) break;
         sink(buffer.data(), static_cast<std::size_t>(n));
      }
   });
}

DrainThread::~DrainThread() {
   join();
}

void DrainThread::join() {
   if (thread_.joinable()) thread_.join();
}

}  // namespace dpp::test

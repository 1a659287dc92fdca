// The provider as DevPod runs it: environment table, one process per verb, stopped by PID.
#include "provider_harness.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "process_probe.hpp"
#include "support/emulator.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::reliability {
namespace {

namespace fs = std::filesystem;

std::string read_file(const std::string& path) {
   std::ifstream in(path, std::ios::binary);
   std::stringstream buffer;
   buffer << in.rdbuf();
   return buffer.str();
}

bool port_is_free(int port) {
   const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
   if (fd < 0) return false;
   sockaddr_in address{};
   address.sin_family = AF_INET;
   address.sin_port = htons(static_cast<uint16_t>(port));
   ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
   const bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
   ::close(fd);
   return free;
}

// 100 ports below Linux's ephemeral range (32768+), so no outgoing connection of this machine
// can sit on a workspace's port; blocks are random so concurrent test processes rarely share one
// (and when they do, the provider's port-conflict handling is what sorts it out).
std::pair<int, int> choose_port_block() {
   std::random_device random;
   for (int attempt = 0; attempt < 50; ++attempt) {
      const int low = 20000 + static_cast<int>(random() % 127) * 100;
      bool all_free = true;
      for (int port = low; port < low + 100 && all_free; ++port) all_free = port_is_free(port);
      if (all_free) return {low, low + 99};
   }
   throw std::runtime_error("no free block of 100 ports between 20000 and 32699");
}

}  // namespace

std::string RunningVerb::read_out() const {
   return read_file(out_file);
}
std::string RunningVerb::read_err() const {
   return read_file(err_file);
}

std::string trimmed(const std::string& text) {
   std::string out = text;
   while (!out.empty() && (out.back() == '\n' || out.back() == '\r' || out.back() == ' ')) out.pop_back();
   return out;
}

std::string tail_lines(const std::string& text, std::size_t lines) {
   std::size_t position = text.size();
   for (std::size_t seen = 0; position > 0 && seen <= lines;) {
      --position;
      if (text[position] == '\n') ++seen;
   }
   return position == 0 ? text : text.substr(position + 1);
}

ProviderHarness::ProviderHarness(ProviderSettings settings)
    : settings_(std::move(settings)), home_(std::make_unique<TempDir>("dpp-reliability-home")) {
   if (auto range = settings_.extra.find("DOKPLOY_SSH_PORT_RANGE"); range != settings_.extra.end()) {
      const auto dash = range->second.find('-');
      port_low_ = std::stoi(range->second.substr(0, dash));
      port_high_ = std::stoi(range->second.substr(dash + 1));
   } else {
      std::tie(port_low_, port_high_) = choose_port_block();
   }
   mark_ = "DPP_RELIABILITY_MARK=" + random_hex(8);
}

Machine ProviderHarness::new_machine(const std::string& id) const {
   Machine machine;
   machine.id = id;
   machine.folder = home_->path() + "/.devpod/contexts/default/machines/" + id;
   fs::create_directories(machine.folder);
   return machine;
}

EnvMap ProviderHarness::environment(const Machine& machine, const RunOptions& options) const {
   // DevPod's own environment is small and clean here: nothing of the test's leaks in.
   EnvMap env = {{"PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
                 {"HOME", home_->path()},
                 {"LANG", "C.UTF-8"},
                 {"USER", "devpod-user"}};
   env["DOKPLOY_SERVER_URL"] = settings_.server_url;
   env["DOKPLOY_API_TOKEN"] = settings_.token;
   env["DOKPLOY_SERVICE_TYPE"] = settings_.service_type;
   env["DOKPLOY_SSH_PORT_RANGE"] = port_range();
   env["DOKPLOY_SSH_TRANSPORT"] = settings_.transport;
   env["DOKPLOY_SSH_AUTH"] = settings_.auth;
   env["DOKPLOY_HTTP_TIMEOUT"] = settings_.http_timeout;
   env["DOKPLOY_CREATE_TIMEOUT"] = settings_.create_timeout;
   env["DOKPLOY_POLL_INTERVAL"] = settings_.poll_interval;
   env["DOKPLOY_DOCKER_IN_WORKSPACE"] = "false";  // no dockerd in test workspaces: faster, unprivileged
   for (const auto& [name, value] : settings_.extra) env[name] = value;
   for (const auto& [name, value] : options.overrides) env[name] = value;
   env["MACHINE_ID"] = machine.id;
   env["MACHINE_FOLDER"] = machine.folder;
   env["MACHINE_CONTEXT"] = "default";
   env["MACHINE_PROVIDER"] = "dokploy";
   env["DEVPOD"] = "/usr/local/bin/devpod";
   env["DEVPOD_OS"] = "linux";
   env["DEVPOD_ARCH"] = "amd64";
   env["DEVPOD_LOG_LEVEL"] = "info";
   env["PROVIDER_ID"] = "dokploy";
   env["PROVIDER_CONTEXT"] = "default";
   env["PROVIDER_FOLDER"] = home_->path() + "/.devpod/contexts/default/providers/dokploy";
   if (options.command) env["COMMAND"] = *options.command;
   const auto equals = mark_.find('=');
   env[mark_.substr(0, equals)] = mark_.substr(equals + 1);
   return env;
}

void ProviderHarness::check_for_token(const std::string& verb, const std::string& what,
                                      const std::string& text) const {
   if (settings_.token.empty() || text.find(settings_.token) == std::string::npos) return;
   std::lock_guard lock(mutex_);
   leaks_.push_back(verb + " printed the API token on " + what);
}

ProcessResult ProviderHarness::run(const std::string& verb, const Machine& machine,
                                   const RunOptions& options) const {
   ProcessOptions process;
   process.argv = {provider_path(), verb};
   process.env = environment(machine, options);
   process.stdin_data = options.stdin_data;
   ProcessResult result = run_process(process, options.guard);
   if (verbose_)
      std::printf("    %-8s %-22s exit %3d in %6.2f s%s\n", verb.c_str(), machine.id.c_str(),
                  result.exit_code, result.seconds, result.timed_out ? " (HUNG: killed by the guard)" : "");
   check_for_token(verb, "stdout", result.out);
   check_for_token(verb, "stderr", result.err);
   return result;
}

RunningVerb ProviderHarness::start(const std::string& verb, const Machine& machine,
                                   const RunOptions& options) const {
   RunningVerb running;
   static std::atomic<int> counter{0};
   const std::string base =
       machine.folder + "/../" + machine.id + "-" + verb + "-" + std::to_string(counter++);
   running.out_file = base + ".out";
   running.err_file = base + ".err";
   const int out = ::open(running.out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
   const int err = ::open(running.err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
   ProcessOptions process;
   process.argv = {provider_path(), verb};
   process.env = environment(machine, options);
   process.stdout_fd = out;
   process.stderr_fd = err;
   running.process = std::make_unique<ChildProcess>(process);
   ::close(out);
   ::close(err);
   return running;
}

std::vector<pid_t> ProviderHarness::live_providers() const {
   return processes_with_environment(mark_);
}

std::vector<std::string> ProviderHarness::token_leaks() const {
   std::lock_guard lock(mutex_);
   return leaks_;
}

}  // namespace dpp::test::reliability

// DevPod's side of a machine provider (loft-sh/devpod pkg/client/clientimplementation,
// pkg/provider/env.go, pkg/binaries, pkg/shell, pkg/client ParseStatus), reproduced for tests.
#include "support/devpod_driver.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <thread>

namespace dpp::test::devpod {
namespace {

namespace fs = std::filesystem;

std::string trim(const std::string& text) {
   std::size_t begin = 0, end = text.size();
   while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
   while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
   return text.substr(begin, end - begin);
}

std::string sha256_file(const std::string& path) {
   std::ifstream in(path, std::ios::binary);
   if (!in) throw std::runtime_error("cannot read " + path);
   Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
   char buffer[65536];
   while (in) {
      in.read(buffer, sizeof buffer);
      engine.update(buffer, static_cast<unsigned>(in.gcount()));
   }
   return Poco::DigestEngine::digestToHex(engine.digest());
}

bool on_path(const std::string& program, const std::string& path_value) {
   std::size_t start = 0;
   while (start <= path_value.size()) {
      const std::size_t end = std::min(path_value.find(':', start), path_value.size());
      const std::string dir = path_value.substr(start, end - start);
      if (!dir.empty() && ::access((dir + "/" + program).c_str(), X_OK) == 0) return true;
      start = end + 1;
   }
   return false;
}

std::string self_executable() {
   std::error_code error;
   const auto path = fs::read_symlink("/proc/self/exe", error);
   return error ? std::string("/usr/local/bin/devpod") : path.string();
}

}  // namespace

const char* status_name(Status status) {
   switch (status) {
      case Status::running: return "Running";
      case Status::busy: return "Busy";
      case Status::stopped: return "Stopped";
      case Status::not_found: return "NotFound";
   }
   return "?";
}

std::string new_machine_id(const std::string& hint) {
   std::string prefix;
   for (char c : hint) {
      const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if ((lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') || lower == '-') prefix += lower;
   }
   prefix = prefix.substr(0, 10);
   std::random_device random;
   static const char* alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
   std::string suffix;
   for (int i = 0; i < 5; ++i) suffix += alphabet[random() % 36];
   return prefix.empty() ? suffix : prefix + "-" + suffix;
}

StatusResult poll_status_while_busy(const std::function<StatusResult()>& status,
                                    std::chrono::milliseconds guard,
                                    const std::function<void(const StatusResult&)>& on_poll) {
   const auto deadline = std::chrono::steady_clock::now() + guard;
   while (true) {
      StatusResult answer = status();
      if (on_poll) on_poll(answer);
      if (answer.status != Status::busy) return answer;
      if (std::chrono::steady_clock::now() + std::chrono::seconds(2) > deadline) {
         answer.exec.hung = true;
         answer.error = "still Busy when the test's guard ran out";
         return answer;
      }
      std::this_thread::sleep_for(std::chrono::seconds(2));  // DevPod's interval
   }
}

std::optional<Status> parse_status(const std::string& stdout_text, std::string* error) {
   std::string word = trim(stdout_text);
   std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return std::toupper(c); });
   if (word == "RUNNING") return Status::running;
   if (word == "BUSY") return Status::busy;
   if (word == "STOPPED") return Status::stopped;
   if (word == "NOTFOUND") return Status::not_found;
   if (error)
      *error = "error parsing status: '" + trim(stdout_text) +
               "' unrecognized status, needs to be one of: [Running Busy Stopped NotFound]";
   return std::nullopt;
}

DevPodDriver::DevPodDriver(DriverOptions options) : options_(std::move(options)) {
   if (options_.devpod_home.empty()) throw std::runtime_error("DriverOptions.devpod_home is required");
   fs::create_directories(options_.devpod_home);
   provider_ = ProviderDefinition::load(options_.provider_yaml);
   // DevPod resolves every declared binary for this os/arch; an absolute local path is used in
   // place, a checksum (if any) must match.
   for (const auto& [key, entries] : provider_.binaries) {
      const ProviderBinary* chosen = nullptr;
      for (const auto& entry : entries)
         if (entry.os == devpod_os() && entry.arch == devpod_arch()) chosen = &entry;
      if (!chosen)
         throw std::runtime_error("binary " + key + " has no entry for " + devpod_os() + "/" + devpod_arch());
      if (chosen->path.empty() || chosen->path[0] != '/')
         throw std::runtime_error("binary " + key + " is '" + chosen->path +
                                  "': the test driver runs local absolute paths only (the dev variant)");
      if (::access(chosen->path.c_str(), X_OK) != 0)
         throw std::runtime_error("binary " + key + " at " + chosen->path + " is not an executable file");
      if (!chosen->checksum.empty() && sha256_file(chosen->path) != chosen->checksum)
         throw std::runtime_error("binary " + key + " at " + chosen->path + " does not match its checksum");
      binaries_[key] = chosen->path;
   }
   std::map<std::string, std::string> extra = binaries_;
   extra["DEVPOD"] = self_executable();
   extra["DEVPOD_OS"] = devpod_os();
   extra["DEVPOD_ARCH"] = devpod_arch();
   values_ = resolve_options(provider_, options_.user_values, extra);
   const EnvMap base = base_environment();
   const auto path = base.find("PATH");
   const std::string path_value = path == base.end() ? "/usr/bin:/bin" : path->second;
   if (!options_.shell.empty())
      shell_ = options_.shell;
   else
      shell_ = on_path("bash", path_value) ? "bash" : "sh";
   shell_ = shell_ == "bash" ? "/bin/bash" : shell_ == "sh" ? "/bin/sh" : shell_;
   fs::create_directories(provider_folder());
}

std::string DevPodDriver::provider_folder() const {
   return options_.devpod_home + "/contexts/" + options_.context + "/providers/" + provider_.name;
}

EnvMap DevPodDriver::base_environment() const {
   if (!options_.devpod_environment.empty()) return options_.devpod_environment;
   return {{"PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
           {"HOME", fs::path(options_.devpod_home).parent_path().string()},
           {"LANG", "C.UTF-8"},
           {"USER", "devpod-user"}};
}

Machine DevPodDriver::new_machine(const std::string& hint) const {
   Machine machine;
   machine.id = new_machine_id(hint);
   machine.folder = options_.devpod_home + "/contexts/" + options_.context + "/machines/" + machine.id;
   fs::create_directories(machine.folder);
   return machine;
}

EnvMap DevPodDriver::init_environment() const {
   EnvMap env = base_environment();
   for (const auto& [name, value] : values_) env[name] = value;
   for (const auto& [key, path] : binaries_) env[key] = path;
   if (options_.debug) env["DEVPOD_DEBUG"] = "true";
   return env;
}

EnvMap DevPodDriver::machine_environment(const Machine& machine,
                                         const std::optional<std::string>& command) const {
   EnvMap env = init_environment();
   env["MACHINE_ID"] = machine.id;
   env["MACHINE_FOLDER"] = machine.folder;
   env["MACHINE_CONTEXT"] = options_.context;
   env["MACHINE_PROVIDER"] = provider_.name;
   env["DEVPOD"] = self_executable();
   env["DEVPOD_OS"] = devpod_os();
   env["DEVPOD_ARCH"] = devpod_arch();
   env["DEVPOD_LOG_LEVEL"] = options_.debug ? "debug" : "info";
   env["PROVIDER_ID"] = provider_.name;
   env["PROVIDER_CONTEXT"] = options_.context;
   env["PROVIDER_FOLDER"] = provider_folder();
   if (command) env["COMMAND"] = *command;
   return env;
}

ExecResult DevPodDriver::run_exec(const std::string& verb, const EnvMap& env, const std::string& stdin_data,
                                  std::chrono::milliseconds guard) const {
   const auto entry = provider_.exec.find(verb);
   if (entry == provider_.exec.end()) throw std::runtime_error("provider.yaml has no exec." + verb);
   if (provider_.exec_is_list.at(verb))
      throw std::runtime_error("exec." + verb + " is a list: DevPod would run it without a shell");
   CommandSession session(shell_, entry->second, env, options_.interrupted);
   ExecResult result = feed_and_wait(session, stdin_data, guard);
   result.verb = verb;
   return result;
}

ExecResult DevPodDriver::init() const {
   return run_exec("init", init_environment());
}
ExecResult DevPodDriver::create(const Machine& machine) const {
   return run_exec("create", machine_environment(machine));
}
ExecResult DevPodDriver::start(const Machine& machine) const {
   return run_exec("start", machine_environment(machine));
}
ExecResult DevPodDriver::stop(const Machine& machine) const {
   return run_exec("stop", machine_environment(machine));
}

ExecResult DevPodDriver::remove(const Machine& machine) const {
   ExecResult result = run_exec("delete", machine_environment(machine));
   if (result.ok()) {
      std::error_code ignored;
      fs::remove_all(machine.folder, ignored);
   }
   return result;
}

StatusResult DevPodDriver::status(const Machine& machine) const {
   StatusResult result;
   result.exec = run_exec("status", machine_environment(machine), "", std::chrono::minutes(5));
   if (!result.exec.ok()) {
      result.error = "get status: " + trim(result.exec.out) + trim(result.exec.err);
      return result;
   }
   result.status = parse_status(result.exec.out, &result.error);
   return result;
}

ExecResult DevPodDriver::command(const Machine& machine, const std::string& script,
                                 const std::string& stdin_data, std::chrono::milliseconds guard) const {
   const auto entry = provider_.exec.find("command");
   if (entry == provider_.exec.end()) throw std::runtime_error("provider.yaml has no exec.command");
   CommandSession session(shell_, entry->second, machine_environment(machine, script), options_.interrupted);
   ExecResult result = feed_and_wait(session, stdin_data, guard);
   result.verb = "command";
   return result;
}

std::unique_ptr<CommandSession> DevPodDriver::start_command(const Machine& machine,
                                                            const std::string& script) const {
   const auto entry = provider_.exec.find("command");
   if (entry == provider_.exec.end()) throw std::runtime_error("provider.yaml has no exec.command");
   return std::make_unique<CommandSession>(shell_, entry->second, machine_environment(machine, script),
                                           options_.interrupted);
}

StatusResult DevPodDriver::poll_while_busy(const Machine& machine, std::chrono::milliseconds guard,
                                           const std::function<void(const StatusResult&)>& on_poll) const {
   return poll_status_while_busy([&] { return status(machine); }, guard, on_poll);
}

}  // namespace dpp::test::devpod

// The real DevPod CLI for tests.
#include "support/devpod_cli.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

namespace dpp::test::devpod {
namespace {

std::string last_lines(const std::string& text, std::size_t count) {
   std::size_t position = text.size();
   while (position > 0 && count > 0) {
      position = text.rfind('\n', position - 1);
      if (position == std::string::npos) return text;
      --count;
   }
   return text.substr(position == 0 ? 0 : position + 1);
}

std::string join(const std::vector<std::string>& words) {
   std::string line;
   for (const auto& word : words) line += (line.empty() ? "" : " ") + word;
   return line;
}

}  // namespace

std::optional<std::string> find_devpod_binary(std::string* why) {
   if (const char* configured = std::getenv("DEVPOD_BIN"); configured && *configured) {
      if (std::string(configured) == "none") {
         if (why) *why = "DEVPOD_BIN=none turns the real CLI off";
         return std::nullopt;
      }
      if (::access(configured, X_OK) == 0) return std::string(configured);
      if (why) *why = std::string("DEVPOD_BIN=") + configured + " is not an executable file";
      return std::nullopt;
   }
   if (const char* path = std::getenv("PATH")) {
      std::istringstream folders(path);
      for (std::string folder; std::getline(folders, folder, ':');) {
         if (folder.empty()) continue;
         const std::string candidate = folder + "/devpod";
         if (::access(candidate.c_str(), X_OK) == 0) return candidate;
      }
   }
   if (why) *why = "no devpod on PATH and DEVPOD_BIN is not set";
   return std::nullopt;
}

const char* machine_state_name(MachineState state) {
   switch (state) {
      case MachineState::running: return "Running";
      case MachineState::busy: return "Busy";
      case MachineState::stopped: return "Stopped";
      case MachineState::not_found: return "NotFound";
      case MachineState::unknown: break;
   }
   return "unknown";
}

std::string CliResult::describe() const {
   std::string text = "`" + command_line + "` ";
   text += process.timed_out ? "timed out" : "exited " + std::to_string(process.exit_code);
   if (!process.out.empty()) text += "\n--- stdout (end):\n" + last_lines(process.out, 30);
   if (!process.err.empty()) text += "\n--- stderr (end):\n" + last_lines(process.err, 40);
   return text;
}

DevPodCli::DevPodCli(std::string binary, std::string home)
    : binary_(std::move(binary)), home_(std::move(home)) {
   std::filesystem::create_directories(home_ + "/.devpod");
}

EnvMap DevPodCli::environment() const {
   return {{"PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
           {"HOME", home_},
           {"DEVPOD_HOME", home_ + "/.devpod"},
           {"DEVPOD_DISABLE_TELEMETRY", "true"},
           {"LANG", "C.UTF-8"}};
}

CliResult DevPodCli::run(const std::vector<std::string>& args, const std::optional<std::string>& stdin_data,
                         std::chrono::milliseconds timeout) const {
   ProcessOptions options;
   options.argv = {binary_};
   options.argv.insert(options.argv.end(), args.begin(), args.end());
   options.env = environment();
   options.stdin_data = stdin_data;
   options.working_dir = home_;
   return {run_process(options, timeout), "devpod " + join(args)};
}

std::unique_ptr<CommandSession> DevPodCli::start(const std::vector<std::string>& args,
                                                 const std::atomic<bool>* interrupted) const {
   std::vector<std::string> argv = {binary_};
   argv.insert(argv.end(), args.begin(), args.end());
   return std::make_unique<CommandSession>(argv, environment(), interrupted);
}

CliResult DevPodCli::run_with_descriptors(const std::vector<std::string>& args, int stdin_fd, int stdout_fd,
                                          std::chrono::milliseconds timeout) const {
   ProcessOptions options;
   options.argv = {binary_};
   options.argv.insert(options.argv.end(), args.begin(), args.end());
   options.env = environment();
   options.stdin_fd = stdin_fd;
   options.stdout_fd = stdout_fd;
   options.working_dir = home_;
   return {run_process(options, timeout), "devpod " + join(args)};
}

std::string DevPodCli::version() const {
   std::string text = run({"version"}, std::nullopt, std::chrono::minutes(1)).process.out;
   while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
   return text;
}

namespace {

std::vector<std::string> option_flags(const std::map<std::string, std::string>& options) {
   std::vector<std::string> flags;
   for (const auto& [name, value] : options) {
      flags.push_back("-o");
      flags.push_back(name + "=" + value);
   }
   return flags;
}

}  // namespace

CliResult DevPodCli::add_provider(const std::string& provider_yaml, const std::string& name,
                                  const std::map<std::string, std::string>& options) const {
   std::vector<std::string> args = {"provider", "add", provider_yaml, "--name", name};
   for (auto& flag : option_flags(options)) args.push_back(std::move(flag));
   CliResult result = run(args, std::nullopt, std::chrono::minutes(5));
   // The token is one of the values: keep the command line that messages show free of it.
   result.command_line = "devpod provider add " + provider_yaml + " --name " + name + " -o … (" +
                         std::to_string(options.size()) + " options)";
   return result;
}

CliResult DevPodCli::set_options(const std::string& name,
                                 const std::map<std::string, std::string>& options) const {
   std::vector<std::string> args = {"provider", "set-options", name};
   for (auto& flag : option_flags(options)) args.push_back(std::move(flag));
   CliResult result = run(args, std::nullopt, std::chrono::minutes(5));
   result.command_line =
       "devpod provider set-options " + name + " -o … (" + std::to_string(options.size()) + " options)";
   return result;
}

CliResult DevPodCli::machine(const std::string& verb, const std::string& machine, const std::string& provider,
                             std::chrono::milliseconds timeout) const {
   std::vector<std::string> args = {"machine", verb, machine};
   if (!provider.empty()) {
      args.push_back("--provider");
      args.push_back(provider);
   }
   return run(args, std::nullopt, timeout);
}

MachineState DevPodCli::machine_state(const std::string& machine, std::string* error) const {
   const CliResult result =
       run({"machine", "status", machine, "--output", "json"}, std::nullopt, std::chrono::minutes(3));
   if (!result.ok()) {
      // After `machine delete` DevPod no longer knows the machine: that is NotFound to a user.
      if (result.process.err.find("doesn't exist") != std::string::npos) return MachineState::not_found;
      if (error) *error = result.describe();
      return MachineState::unknown;
   }
   try {
      const std::string state = nlohmann::json::parse(result.process.out).value("state", "");
      for (MachineState candidate :
           {MachineState::running, MachineState::busy, MachineState::stopped, MachineState::not_found})
         if (state == machine_state_name(candidate)) return candidate;
      if (error) *error = "unknown state '" + state + "' in " + result.describe();
   } catch (const std::exception& e) {
      if (error) *error = std::string("not JSON (") + e.what() + "): " + result.describe();
   }
   return MachineState::unknown;
}

CliResult DevPodCli::ssh(const std::string& machine, const std::string& command,
                         const std::optional<std::string>& stdin_data,
                         std::chrono::milliseconds timeout) const {
   CliResult result = run({"machine", "ssh", machine, "--command", command}, stdin_data, timeout);
   if (command.size() > 200)
      result.command_line =
          "devpod machine ssh " + machine + " --command <" + std::to_string(command.size()) + " bytes>";
   return result;
}

}  // namespace dpp::test::devpod

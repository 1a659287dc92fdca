// dpp-demo: the first thing a newcomer runs (tools/dev demo). Starts the Dokploy emulator with
// real workspaces, runs DevPod's whole lifecycle through dokploy-provider exactly as DevPod
// would, prints every step with its timing and result, and cleans up — also on Ctrl-C.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "demo_output.hpp"
#include "support/devpod_client_in_house.hpp"
#include "support/devpod_steps.hpp"
#include "support/emulator.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace {

using namespace dpp::test;
using namespace dpp::test::devpod;
using namespace dpp::demo;
using namespace std::chrono_literals;

std::atomic<bool> interrupted{false};

void on_interrupt(int) {
   if (interrupted.exchange(true)) return;
   static const char message[] =
       "\nCtrl-C: cancelling the running step as DevPod would, then cleaning up...\n";
   (void)!::write(STDERR_FILENO, message, sizeof message - 1);
}

std::optional<DemoChoice> parse_arguments(int argc, char** argv) {
   DemoChoice choice;
   for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      auto value = [&](const char* name) -> std::optional<std::string> {
         if (i + 1 >= argc) {
            std::cerr << "dpp-demo: " << name << " needs a value\n";
            return std::nullopt;
         }
         return std::string(argv[++i]);
      };
      std::optional<std::string> given;
      if (arg == "--service-type" && (given = value("--service-type")) &&
          (*given == "compose" || *given == "application"))
         choice.service_type = *given;
      else if (arg == "--transport" && (given = value("--transport")) &&
               (*given == "libssh2" || *given == "system"))
         choice.transport = *given;
      else if (arg == "--auth" && (given = value("--auth")) && (*given == "key" || *given == "password"))
         choice.auth = *given;
      else if (arg == "--verbose")
         choice.verbose = true;
      else if (arg == "--help" || arg == "-h") {
         print_usage(std::cout);
         std::exit(0);
      } else {
         std::cerr << "dpp-demo: unknown or invalid argument '" << arg << (given ? " " + *given : "")
                   << "'\n\n";
         print_usage(std::cerr);
         return std::nullopt;
      }
   }
   return choice;
}

std::string first_line(std::string text) {
   while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
   const auto newline = text.find('\n');
   return newline == std::string::npos ? text : text.substr(0, newline);
}

class Demo {
 public:
   explicit Demo(DemoChoice choice) : choice_(std::move(choice)) {}

   int run() {
      if (!running_as_root()) {
         print_needs_root(std::cerr);
         return 2;
      }
      for (const char* plugin :
           {"dpp-dokploy.so", "dpp-libssh2.so", "dpp-system.so", "dpp-key.so", "dpp-password.so"})
         if (::access((plugin_dir() + "/" + plugin).c_str(), R_OK) != 0) {
            std::cerr << "dpp-demo: the plugin " << plugin << " is not built in " << plugin_dir()
                      << "; build everything first (tools/dev demo does).\n";
            return 2;
         }
      devpod_choice_ = choose_devpod();
      if (!devpod_choice_.error.empty()) {
         std::cerr << "dpp-demo: " << devpod_choice_.error << "\n";
         return 2;
      }
      print_introduction(std::cout, choice_, provider_path(), devpod_choice_.real_binary.has_value(),
                         describe(devpod_choice_));
      const bool ok = lifecycle();
      cleanup();
      std::cout << "\n"
                << bold("DevPod's view of the lifecycle") << " (times include the provider's start-up):\n";
      log_.print_table(std::cout, kRun);
      if (interrupted) {
         std::cout << "\nInterrupted; everything the demo started is stopped again.\n";
         return 130;
      }
      std::cout
          << "\n"
          << (ok ? green("Every DevPod step succeeded.")
                 : red("Some step failed") + " (the table says which; --verbose shows the provider's log).")
          << "\nNext: docs/devpod.md explains how to use the provider with DevPod and a real Dokploy.\n";
      return ok ? 0 : 1;
   }

 private:
   static constexpr const char* kRun = "demo";
   static constexpr const char* kNote = "written by dpp-demo before the stop";

   bool step(const std::string& name, const std::function<std::pair<bool, std::string>()>& body) {
      if (interrupted) return false;
      const StepRecord& record = log_.run(kRun, name, body);
      return record.ok;
   }

   std::pair<bool, std::string> exec_result(const ExecResult& result, const std::string& what_ok) {
      if (choice_.verbose && !result.err.empty()) std::cout << dim(result.err);
      if (result.ok()) return {true, what_ok};
      if (!choice_.verbose) std::cout << red(result.describe()) << "\n";
      return {false, result.cancelled ? "cancelled"
                                      : "exit " + std::to_string(result.exit_code) + ": " +
                                            first_line(result.err.empty() ? result.out : result.err)};
   }

   std::pair<bool, std::string> wait_for(const DevPodClient& devpod, Status wanted) {
      int polls = 0;
      const StatusResult answer = devpod.poll_while_busy(*machine_, 10min, [&](const StatusResult& each) {
         ++polls;
         if (choice_.verbose && !each.exec.err.empty()) std::cout << dim(each.exec.err);
      });
      const std::string polled =
          " (" + std::to_string(polls) + (polls == 1 ? " poll)" : " polls, every 2 s)");
      if (answer.status == wanted) return {true, std::string(status_name(wanted)) + polled};
      return {false, (answer.status ? std::string(status_name(*answer.status)) : answer.error) + polled +
                         ", expected " + status_name(wanted)};
   }

   // What the step log calls a DevPod step: the provider verb DevPod runs (in-house driver) or
   // the devpod command line the demo runs (real CLI).
   std::string label(const std::string& verb) const {
      if (!devpod_ || !devpod_->real()) return verb;
      if (verb == "init") return "devpod provider add";
      if (verb.rfind("command: ", 0) == 0) return "devpod machine ssh: " + verb.substr(9);
      return "devpod machine " + verb;
   }

   bool lifecycle() {
      std::cout << bold("Starting the Dokploy emulator")
                << "; the first `create` on this machine also builds the\n"
                << "workspaces' Debian root filesystem (about a minute; later runs reuse it).\n";
      const bool started = step("start the Dokploy emulator", [&]() -> std::pair<bool, std::string> {
         EmulatorOptions options;
         options.runner = "workspace";
         emulator_ = std::make_unique<Emulator>(options);
         return {true, emulator_->url() + " (PID " + std::to_string(emulator_->pid()) + ")"};
      });
      if (!started) return false;
      std::cout << "\n" << bold("DevPod steps") << " (each line: what DevPod runs, result, time):\n";
      const bool real = devpod_choice_.real_binary.has_value();
      const bool added =
          step(real ? "provider.yaml options" : "devpod provider add", [&]() -> std::pair<bool, std::string> {
             devpod_ = make_devpod_client(
                 devpod_choice_,
                 DriverOptions{.provider_yaml = dev_provider_yaml(provider_path(), home_.path()),
                               .user_values = {{"DOKPLOY_SERVER_URL", emulator_->url()},
                                               {"DOKPLOY_API_TOKEN", emulator_->token()},
                                               {"DOKPLOY_SERVICE_TYPE", choice_.service_type},
                                               {"DOKPLOY_SSH_TRANSPORT", choice_.transport},
                                               {"DOKPLOY_SSH_AUTH", choice_.auth},
                                               {"DOKPLOY_DOCKER_IN_WORKSPACE",
                                                choice_.service_type == "compose" ? "true" : "false"}},
                               .devpod_home = home_.path() + "/.devpod",
                               .debug = choice_.verbose,
                               .interrupted = &interrupted});
             return {true, std::to_string(devpod_->driver().option_values().size()) +
                               " options resolved from provider.yaml"};
          });
      if (!added) return false;
      if (!step(label("init"),
                [&] { return exec_result(devpod_->add_provider(), "configuration and Dokploy reachable"); }))
         return false;
      machine_ = devpod_->new_machine("demo");
      created_ = true;  // a create that fails half-way may leave something to delete
      if (!step(label("create"),
                [&] { return exec_result(devpod_->create(*machine_), "machine " + machine_->id); }))
         return false;
      if (!step(label("status"), [&] { return wait_for(*devpod_, Status::running); })) return false;
      bool ok = use_workspace();
      if (!step(label("stop"),
                [&] { return exec_result(devpod_->stop(*machine_), "the Dokploy service is stopped"); }))
         return false;
      ok = step(label("status"), [&] { return wait_for(*devpod_, Status::stopped); }) && ok;
      if (!step(label("start"),
                [&] { return exec_result(devpod_->start(*machine_), "the Dokploy service runs again"); }))
         return false;
      ok = step(label("status"), [&] { return wait_for(*devpod_, Status::running); }) && ok;
      ok = step(label("command: cat ~/demo.txt"),
                [&]() -> std::pair<bool, std::string> {
                   const ExecResult result = devpod_->command(*machine_, "cat \"$HOME/demo.txt\"");
                   if (result.ok() && result.out != kNote)
                      return {false, "the file changed: \"" + result.out + "\""};
                   return exec_result(result, "still there after stop and start");
                }) &&
           ok;
      return delete_machine() && ok;
   }

   // The workspace's first commands: uname, and a file to find again after stop and start.
   bool use_workspace() {
      const bool ran = step(label("command: uname -a"), [&] {
         const ExecResult result = devpod_->command(*machine_, "uname -a");
         return exec_result(result, first_line(result.out));
      });
      const bool wrote = step(label("command: write ~/demo.txt"), [&] {
         return exec_result(
             devpod_->command(*machine_, "cat > \"$HOME/demo.txt\" && cat \"$HOME/demo.txt\"", kNote),
             "\"" + std::string(kNote) + "\"");
      });
      return ran && wrote;
   }

   // delete, then status → NotFound. DevPod forgets a deleted machine, so with the real CLI the
   // in-house driver asks the provider.
   bool delete_machine() {
      const bool deleted = step(label("delete"), [&] {
         const ExecResult result = devpod_->remove(*machine_);
         created_ = !result.ok();
         return exec_result(result, "service, volumes and machine folder removed");
      });
      if (!deleted) return false;
      std::filesystem::create_directories(machine_->folder);
      const bool real = devpod_->real();
      return step(real ? "status (in-house driver)" : "status", [&]() -> std::pair<bool, std::string> {
         auto [ok, result] = wait_for(devpod_->contract(), Status::not_found);
         return {ok, result + (real ? ": DevPod forgets a deleted machine, the provider is asked" : "")};
      });
   }

   void cleanup() {
      // Repeated Ctrl-C must not abandon the clean-up: it is short and bounded.
      ::signal(SIGINT, SIG_IGN);
      ::signal(SIGTERM, SIG_IGN);
      if (created_ && devpod_ && machine_) {
         std::cout << "\nCleaning up: deleting the workspace...\n";
         const ExecResult result = devpod_->clean_up(*machine_);
         log_.add({.run = kRun,
                   .step = "delete (clean-up)",
                   .seconds = result.seconds,
                   .ok = result.ok(),
                   .result = result.ok() ? "removed" : first_line(result.err)});
      }
      if (emulator_) {
         const auto started = std::chrono::steady_clock::now();
         emulator_.reset();  // stops the emulator by PID, and with it every workspace
         log_.add(
             {.run = kRun,
              .step = "stop the Dokploy emulator",
              .seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
              .ok = true,
              .result = "stopped, its workspaces with it"});
      }
   }

   DemoChoice choice_;
   DevPodChoice devpod_choice_;
   StepLog log_{"  ", &std::cout, /*show_run=*/false};
   TempDir home_{"dpp-demo"};
   std::unique_ptr<Emulator> emulator_;
   std::unique_ptr<DevPodClient> devpod_;
   std::optional<Machine> machine_;
   bool created_ = false;
};

}  // namespace

int main(int argc, char** argv) {
   const auto choice = parse_arguments(argc, argv);
   if (!choice) return 2;
   struct sigaction action {};
   action.sa_handler = on_interrupt;
   ::sigemptyset(&action.sa_mask);
   ::sigaction(SIGINT, &action, nullptr);
   ::sigaction(SIGTERM, &action, nullptr);
   try {
      Demo demo(*choice);
      return demo.run();
   } catch (const std::exception& e) {
      std::cerr << "dpp-demo: " << e.what() << "\n";
      return 1;
   }
}

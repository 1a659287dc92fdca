// dpp-bench: the benchmark suite's driver. Starts the emulators and a real sshd on loopback,
// measures every figure against the reference measured beside it, prints the table, and writes
// BENCHMARKS.md. bench/run.sh passes the paths; see bench/README.md.
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

#include "api_benches.hpp"
#include "inprocess_bench.hpp"
#include "machine_info.hpp"
#include "process_benches.hpp"
#include "report.hpp"
#include "stream_benches.hpp"

namespace {

using namespace dpp::bench;

struct Options {
   std::string provider;
   std::string provider_text;
   std::string inprocess;
   std::string output;
   std::string notes;
   std::string command;
   std::string bundle;  // the file DevPod downloads, for its size
   std::set<std::string> only;
   bool quick = false;
   bool hold = false;  // keep the world up for profiling by hand (see bench/README.md)
   int wait_for_quiet_s = 0;
};

[[noreturn]] void usage(const std::string& problem) {
   std::cerr << "dpp-bench: " << problem
             << "\nusage: dpp-bench --provider PATH [--provider-text TEXT] [--inprocess PATH] [--output FILE]\n"
                "                 [--notes FILE] [--command TEXT] [--bundle FILE] [--quick] [--hold]\n"
                "                 [--wait-for-quiet SECONDS] [--only status,command,transfer,echo,api,create,"
                "inprocess,size]\n";
   std::exit(2);
}

Options parse(int argc, char** argv) {
   Options options;
   for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      auto value = [&]() -> std::string {
         if (i + 1 >= argc) usage(arg + " needs a value");
         return argv[++i];
      };
      if (arg == "--provider") options.provider = value();
      else if (arg == "--provider-text") options.provider_text = value();
      else if (arg == "--inprocess") options.inprocess = value();
      else if (arg == "--output") options.output = value();
      else if (arg == "--notes") options.notes = value();
      else if (arg == "--command") options.command = value();
      else if (arg == "--bundle") options.bundle = value();
      else if (arg == "--quick") options.quick = true;
      else if (arg == "--hold") options.hold = true;
      else if (arg == "--wait-for-quiet") options.wait_for_quiet_s = std::atoi(value().c_str());
      else if (arg == "--only") {
         std::istringstream list(value());
         for (std::string item; std::getline(list, item, ',');) options.only.insert(item);
      } else usage("unknown argument " + arg);
   }
   if (options.provider.empty()) usage("--provider is required");
   if (options.provider_text.empty()) options.provider_text = options.provider;
   return options;
}

// On a shared 2-core machine, other builds distort every figure: wait (bounded) for a quiet
// moment before measuring.
void wait_for_quiet(int seconds) {
   const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
   const double quiet = 1.0;
   if (load_average_1min() <= quiet || seconds <= 0) return;
   progress("load average " + load_average() + "; waiting up to " + std::to_string(seconds) +
            " s for it to drop below " + fixed(quiet, 1));
   while (std::chrono::steady_clock::now() < deadline && load_average_1min() > quiet)
      std::this_thread::sleep_for(std::chrono::seconds(5));
   progress("measuring at load average " + load_average());
}

void bench_download_size(Suite& suite, const std::string& bundle) {
   struct stat info {};
   if (bundle.empty() || ::stat(bundle.c_str(), &info) != 0) return;
   Figure size{.name = "size of what DevPod downloads (one file per OS/arch)", .unit = "MiB", .decimals = 2};
   size.ours.add(static_cast<double>(info.st_size) / (1024.0 * 1024.0));
   size.note = bundle.substr(bundle.rfind('/') + 1) +
               ": the stripped host with every plugin and the libraries they need appended (" +
               std::to_string(info.st_size) + " bytes)";
   suite.add(std::move(size));
}

// Writes a shell file that sets the provider's environment for the workspace machine, prints how
// to use it, and keeps the emulators and sshd up until stdin ends (for perf, strace, heaptrack).
void hold_world(const BenchWorld& world, const Workspace& workspace) {
   const std::string file = world.scratch() + "/env.sh";
   std::ofstream out(file, std::ios::trunc);
   for (const auto& [name, value] : world.provider_env(world.workspace_emulator(), workspace.id, workspace.folder))
      out << "export " << name << "='" << value << "'\n";
   // ssh_reference [ssh options] 127.0.0.1 COMMAND: the reference ssh (e.g. -c aes128-ctr).
   std::vector<std::string> ssh = world.ssh_reference("");
   ssh.resize(ssh.size() - 2);  // the address and the command: the caller's, after its options
   out << "ssh_reference() { ";
   for (const auto& arg : ssh) out << "'" << arg << "' ";
   out << "\"$@\"; }\n";
   out.close();
   progress("the world is up: `. " + file + "`, then e.g. `" + world.settings().provider +
            " status` or `ssh_reference " + world.sshd().address() + " true`; end with Ctrl-D");
   std::string line;
   while (std::getline(std::cin, line)) {
   }
}

std::string minutes_text(std::chrono::steady_clock::duration took) {
   const long seconds = std::chrono::duration_cast<std::chrono::seconds>(took).count();
   return std::to_string(seconds / 60) + " min " + std::to_string(seconds % 60) + " s";
}

}  // namespace

int main(int argc, char** argv) {
   const Options options = parse(argc, argv);
   auto wanted = [&](const std::string& name) { return options.only.empty() || options.only.count(name); };
   const auto started = std::chrono::steady_clock::now();
   try {
      if (!options.quick) wait_for_quiet(options.wait_for_quiet_s);
      ReportContext context;
      context.machine = describe_machine();
      context.load_at_start = load_average();
      context.command = options.command;
      context.provider_text = options.provider_text;
      context.notes_file = options.notes;

      SuiteSettings settings;
      settings.quick = options.quick;
      settings.inprocess_binary = wanted("inprocess") ? options.inprocess : "";
      WorldSettings world_settings{.provider = options.provider};
      if (options.quick) {
         settings.process = {1, 3};
         settings.transfer = {0, 1};
         settings.create = {0, 1};
         settings.echo_lines = 10;
         settings.transfer_bytes = 8ull << 20;
         world_settings.seeded_services = 20;
      }
      progress("starting three Dokploy emulators and sshd");
      BenchWorld world(world_settings);
      Suite suite{world, settings, {}, {}};
      const Workspace workspace = create_workspace(suite, "bench-ws");
      if (options.hold) {
         hold_world(world, workspace);
         return 0;
      }
      if (wanted("status")) bench_status(suite, workspace);
      if (wanted("command")) bench_command_true(suite, workspace);
      if (wanted("transfer")) bench_transfers(suite, workspace);
      if (wanted("echo")) bench_echo(suite, workspace);
      if (wanted("api")) bench_requests_per_verb(suite, workspace);
      if (wanted("create")) bench_create_scaling(suite);
      bench_inprocess(suite, workspace);
      if (wanted("size")) bench_download_size(suite, options.bundle);

      context.load_at_end = load_average();
      context.duration = minutes_text(std::chrono::steady_clock::now() - started);
      std::cout << "\n" << results_table(suite) << std::flush;
      if (!options.output.empty()) {
         std::ofstream out(options.output, std::ios::trunc);
         out << benchmarks_markdown(suite, context);
         out.close();
         if (!out) throw std::runtime_error("cannot write " + options.output);
         progress("wrote " + options.output);
      }
      return 0;
   } catch (const std::exception& e) {
      std::cerr << "dpp-bench: failed: " << e.what() << "\n";
      return 1;
   }
}

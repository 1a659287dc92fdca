// status and command true.
#include "process_benches.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <functional>
#include <stdexcept>

#include "support/child_process.hpp"

namespace dpp::bench {
namespace {

constexpr double kMs = 1000.0;

// The request `status` makes, as the emulator logged it ("/api/compose.one?composeId=…").
std::string status_request(Suite& suite, const Workspace& workspace, int& count) {
   const dpp::test::Emulator& emulator = suite.world.workspace_emulator();
   emulator.clear_requests();
   const Outcome run = run_measured({.argv = suite.world.provider_argv("status"),
                                     .env = suite.world.provider_env(emulator, workspace.id, workspace.folder)});
   require_success(run, "dokploy-provider status");
   const auto requests = emulator.api_requests();
   count = static_cast<int>(requests.size());
   if (requests.empty()) throw std::runtime_error("status made no API request");
   const auto& request = requests.front();
   std::string target = request.value("path", "");
   char separator = '?';
   if (request.contains("query") && request["query"].is_object())
      for (const auto& [name, value] : request["query"].items()) {
         target += separator + name + "=" + (value.is_string() ? value.get<std::string>() : value.dump());
         separator = '&';
      }
   return target;
}

// Milliseconds from connect() to the SSH server's banner (what `status`'s probe waits for), or a
// negative number when it did not answer.
double banner_ms(uint16_t port) {
   const double started = now_seconds();
   const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
   if (fd < 0) return -1;
   sockaddr_in address{};
   address.sin_family = AF_INET;
   address.sin_port = htons(port);
   address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
   char banner[256];
   ssize_t n = -1;
   if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0)
      while ((n = ::read(fd, banner, sizeof banner)) < 0 && errno == EINTR) {
      }
   ::close(fd);
   if (n < 4 || std::string(banner, 4) != "SSH-") return -1;
   return (now_seconds() - started) * kMs;
}

// `ours` and `theirs` alternately, in alternating order, after `warmup` runs of each; `beside`,
// when given, runs between them (a third measurement made under the same load).
void interleave(const Repeats& repeats, const Launch& ours, const Launch& theirs, Samples& our_seconds,
                Samples& their_seconds, Samples* our_rss_mb, const std::string& what,
                Samples* their_rss_mb = nullptr, const std::function<void()>& beside = {}) {
   for (int i = 0; i < repeats.warmup; ++i) {
      require_success(run_measured(ours), what);
      require_success(run_measured(theirs), what + " (reference)");
   }
   for (int i = 0; i < repeats.runs; ++i) {
      auto measure_ours = [&] {
         const Outcome outcome = require_success(run_measured(ours), what);
         our_seconds.add(outcome.seconds * kMs);
         if (our_rss_mb) our_rss_mb->add(static_cast<double>(outcome.max_rss_kb) / 1024.0);
      };
      auto measure_theirs = [&] {
         const Outcome outcome = require_success(run_measured(theirs), what + " (reference)");
         their_seconds.add(outcome.seconds * kMs);
         if (their_rss_mb) their_rss_mb->add(static_cast<double>(outcome.max_rss_kb) / 1024.0);
         if (beside) beside();
      };
      if (i % 2) {
         measure_ours();
         measure_theirs();
      } else {
         measure_theirs();
         measure_ours();
      }
   }
}

}  // namespace

void bench_status(Suite& suite, const Workspace& workspace) {
   progress("status against curl of the same request");
   BenchWorld& world = suite.world;
   // What DevPod reads from status must be right before its time means anything.
   const dpp::test::ProcessResult word = dpp::test::run_process(
       {.argv = world.provider_argv("status"),
        .env = dpp::test::EnvMap(world.provider_env(world.workspace_emulator(), workspace.id, workspace.folder))});
   if (word.out != "Running\n") throw std::runtime_error("status printed '" + word.out + "': " + word.err);
   int count = 0;
   const std::string target = status_request(suite, workspace, count);

   Figure wall{.name = "`status` wall time (cached state)", .unit = "ms", .decimals = 1};
   wall.reference_name = "`curl -s` " + target.substr(0, target.find('?'));
   wall.target = Target::ratio_at_most;
   wall.limit = 1.3;
   Figure rss{.name = "`status` peak RSS", .unit = "MiB", .decimals = 2};
   rss.target = Target::value_at_most;
   rss.limit = 8;
   // Not a target's reference (the target is absolute): what a bare client of the same request
   // costs on this machine, for scale.
   rss.reference_name = "`curl -s` of the same request";
   // What status waits for besides the API answer: the workspace sshd's banner (its probe starts
   // before the request, so status takes about process start + the longer of the two).
   Figure banner{.name = "of which: workspace sshd's banner, connect → `SSH-`", .unit = "ms", .decimals = 1};
   banner.reference_name = wall.reference_name;
   banner.note = "measured by the driver itself right after each curl, no process start: the bound that "
                 "`status`'s SSH probe puts on its time (OpenSSH's sshd forks and re-executes itself for "
                 "every connection before it sends its banner)";
   const uint16_t port = world.sshd().port();
   const Launch ours{.argv = world.provider_argv("status"),
                     .env = world.provider_env(world.workspace_emulator(), workspace.id, workspace.folder)};
   const Launch theirs{.argv = world.curl_reference(world.workspace_emulator(), target), .env = world.plain_env()};
   interleave(suite.settings.process, ours, theirs, wall.ours, wall.reference, &rss.ours, "status", &rss.reference,
              [&] {
                 const double ms = banner_ms(port);
                 if (ms >= 0) banner.ours.add(ms);
              });
   banner.reference = wall.reference;
   suite.add(std::move(wall));
   suite.add(std::move(banner));
   suite.add(std::move(rss));
}

void bench_command_true(Suite& suite, const Workspace& workspace) {
   BenchWorld& world = suite.world;
   const Launch ssh_true{.argv = world.ssh_reference("true"), .env = world.plain_env()};
   struct Variant {
      std::string name;
      std::string transport;
      bool reuse;
      double limit;
   };
   const Variant variants[] = {
       {"`command true`, libssh2 transport", "libssh2", false, 1.0},
       {"`command true`, system transport, no reuse", "system", false, 1.1},
       {"`command true`, system transport, connection reuse warm", "system", true, 0.25},
   };
   for (const Variant& variant : variants) {
      progress(variant.name + " against ssh … true");
      Launch ours{.argv = world.provider_argv("command"),
                  .env = world.provider_env(world.workspace_emulator(), workspace.id, workspace.folder,
                                            variant.transport)};
      ours.env["COMMAND"] = "true";
      if (variant.reuse) {
         ours.env["DOKPLOY_SSH_REUSE"] = "true";
         // The master must not outlive the benchmark for long (sshd's stop ends it anyway).
         ours.env["DOKPLOY_SSH_REUSE_IDLE"] = "60s";
      }
      Figure figure{.name = variant.name, .unit = "ms", .decimals = 1};
      figure.reference_name = "`ssh … true`";
      figure.target = Target::ratio_at_most;
      figure.limit = variant.limit;
      interleave(suite.settings.process, ours, ssh_true, figure.ours, figure.reference, nullptr,
                 "command true (" + variant.transport + ")");
      suite.add(std::move(figure));
   }
}

}  // namespace dpp::bench

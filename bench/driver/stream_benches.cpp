// Transfers through pipes the driver feeds or drains (as DevPod's own pipes would), and line
// echoes through two sessions open side by side, measured alternately.
#include "stream_benches.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>
#include <vector>

#include "support/pipe.hpp"

namespace dpp::bench {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;

using test::Pipe;

enum class Direction { upload, download };

struct Transfer {
   double seconds;
   long max_rss_kb;
};

// One transfer of `bytes` through `launch` (whose command moves the data); checks the exit and
// that every byte arrived.
Transfer transfer(Launch launch, Direction direction, std::uint64_t bytes, const std::string& what) {
   Pipe pipe;
   std::uint64_t moved = 0;
   std::thread pump;
   std::vector<char> buffer(1 << 20, 0);
   if (direction == Direction::upload)
      launch.stdin_fd = pipe.read;
   else
      launch.stdout_fd = pipe.write;
   MeasuredProcess process(launch);
   if (direction == Direction::upload) {
      pipe.close_read();
      pump = std::thread([&] {
         while (moved < bytes) {
            const std::size_t want =
                static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), bytes - moved));
            const ssize_t n = ::write(pipe.write, buffer.data(), want);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            moved += static_cast<std::uint64_t>(n);
         }
         pipe.close_write();
      });
   } else {
      pipe.close_write();
      pump = std::thread([&] {
         for (;;) {
            const ssize_t n = ::read(pipe.read, buffer.data(), buffer.size());
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            moved += static_cast<std::uint64_t>(n);
         }
      });
   }
   const Outcome outcome = process.wait();
   if (direction == Direction::upload) {
      // A child that died early leaves the writer blocked: unblock it.
      if (outcome.exit_code != 0) pipe.close_read();
   }
   pump.join();
   require_success(outcome, what);
   if (moved != bytes)
      throw std::runtime_error(what + " moved " + std::to_string(moved) + " of " + std::to_string(bytes) +
                               " bytes");
   return {outcome.seconds, outcome.max_rss_kb};
}

// A running `… cat` whose line round trips are timed.
class EchoSession {
 public:
   explicit EchoSession(Launch launch) {
      launch.stdin_fd = input_.read;
      launch.stdout_fd = output_.write;
      process_ = std::make_unique<MeasuredProcess>(launch);
      input_.close_read();
      output_.close_write();
   }
   // Seconds from writing one line to reading it back.
   double round_trip(const std::string& line) {
      const double started = now_seconds();
      if (::write(input_.write, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
         throw std::runtime_error("cannot write to the echo session");
      std::size_t got = 0;
      char buffer[256];
      while (got < line.size()) {
         const ssize_t n = ::read(output_.read, buffer, sizeof buffer);
         if (n < 0 && errno == EINTR) continue;
         if (n <= 0) throw std::runtime_error("the echo session ended early");
         got += static_cast<std::size_t>(n);
      }
      return now_seconds() - started;
   }
   Outcome finish() {
      input_.close_write();
      return process_->wait();
   }

 private:
   Pipe input_, output_;
   std::unique_ptr<MeasuredProcess> process_;
};

}  // namespace

void bench_transfers(Suite& suite, const Workspace& workspace) {
   BenchWorld& world = suite.world;
   const std::uint64_t bytes = suite.settings.transfer_bytes;
   const std::string size =
       bytes >= (1ull << 30) ? std::to_string(bytes >> 30) + " GiB" : std::to_string(bytes >> 20) + " MiB";
   struct Variant {
      std::string transport;
      std::vector<std::string> cipher;  // what the reference ssh is given
      std::string cipher_text;
      double limit;
   };
   // libssh2 1.10 negotiates aes128-ctr + hmac-sha2-256 (its fastest; it has neither AES-GCM nor
   // ChaCha20); the system transport runs OpenSSH with its defaults, like the reference.
   const Variant variants[] = {
       {"libssh2", {"-c", "aes128-ctr", "-m", "hmac-sha2-256"}, "aes128-ctr + hmac-sha2-256", 0.9},
       {"system", {}, "OpenSSH default (chacha20-poly1305)", 0.97},
   };
   for (const Variant& variant : variants) {
      for (Direction direction : {Direction::upload, Direction::download}) {
         const bool up = direction == Direction::upload;
         auto command_for = [&](std::uint64_t count) {
            return up ? std::string("cat > /dev/null") : "head -c " + std::to_string(count) + " /dev/zero";
         };
         auto ours_for = [&](std::uint64_t count) {
            Launch launch{.argv = world.provider_argv("command"),
                          .env = world.provider_env(world.workspace_emulator(), workspace.id,
                                                    workspace.folder, variant.transport)};
            launch.env["COMMAND"] = command_for(count);
            return launch;
         };
         auto theirs_for = [&](std::uint64_t count) {
            return Launch{.argv = world.ssh_reference(command_for(count), variant.cipher),
                          .env = world.plain_env()};
         };
         const Launch ours = ours_for(bytes), theirs = theirs_for(bytes);
         // Warm-up (caches, sshd's pages, the CPU's clock) needs no full transfer.
         const std::uint64_t warm_bytes = std::max<std::uint64_t>(bytes / 8, 1 << 20);
         const Launch warm_ours = ours_for(warm_bytes), warm_theirs = theirs_for(warm_bytes);
         const std::string what = std::string(up ? "upload" : "download") + " through " + variant.transport;
         progress(size + " " + what + " against ssh … (" + variant.cipher_text + ")");
         Figure figure{
             .name = size + " " + (up ? "upload" : "download") + ", " + variant.transport + " transport",
             .unit = "MiB/s",
             .decimals = 0};
         figure.reference_name =
             "`ssh … " + std::string(up ? "cat > /dev/null" : "head -c") + "`, " + variant.cipher_text;
         figure.target = Target::ratio_at_least;
         figure.limit = variant.limit;
         Figure rss{.name = "`command` peak RSS, " + size + " " + (up ? "upload" : "download") + ", " +
                            variant.transport,
                    .unit = "MiB",
                    .decimals = 2};
         rss.target = Target::value_at_most;
         rss.limit = 16;
         if (variant.transport == "system")
            rss.note = "includes the ssh child (wait4 reports the largest of the process and its children)";
         for (int i = 0; i < suite.settings.transfer.warmup; ++i) {
            transfer(warm_ours, direction, warm_bytes, what);
            transfer(warm_theirs, direction, warm_bytes, what + " (reference)");
         }
         for (int i = 0; i < suite.settings.transfer.runs; ++i) {
            auto measure_ours = [&] {
               const Transfer done = transfer(ours, direction, bytes, what);
               figure.ours.add(static_cast<double>(bytes) / kMiB / done.seconds);
               rss.ours.add(static_cast<double>(done.max_rss_kb) / 1024.0);
            };
            auto measure_theirs = [&] {
               const Transfer done = transfer(theirs, direction, bytes, what + " (reference)");
               figure.reference.add(static_cast<double>(bytes) / kMiB / done.seconds);
            };
            if (i % 2) {
               measure_ours();
               measure_theirs();
            } else {
               measure_theirs();
               measure_ours();
            }
         }
         suite.add(std::move(figure));
         suite.add(std::move(rss));
      }
   }
}

void bench_echo(Suite& suite, const Workspace& workspace) {
   BenchWorld& world = suite.world;
   for (const std::string transport : {"libssh2", "system"}) {
      progress("line echo round trip through " + transport + " against ssh … cat");
      Launch ours{
          .argv = world.provider_argv("command"),
          .env = world.provider_env(world.workspace_emulator(), workspace.id, workspace.folder, transport)};
      ours.env["COMMAND"] = "cat";
      EchoSession our_session(ours);
      EchoSession their_session({.argv = world.ssh_reference("cat"), .env = world.plain_env()});
      Figure figure{.name = "interactive line echo round trip, " + transport + " transport",
                    .unit = "µs",
                    .decimals = 0};
      figure.reference_name = "the same through `ssh … cat`";
      figure.target = Target::ratio_at_most;
      figure.limit = 1.2;
      const std::string line = "the quick brown fox jumps over the lazy dog\n";
      for (int i = 0; i < 20; ++i) {  // connection set up, caches warm
         our_session.round_trip(line);
         their_session.round_trip(line);
      }
      for (int i = 0; i < suite.settings.echo_lines; ++i) {
         if (i % 2) {
            figure.ours.add(our_session.round_trip(line) * 1e6);
            figure.reference.add(their_session.round_trip(line) * 1e6);
         } else {
            figure.reference.add(their_session.round_trip(line) * 1e6);
            figure.ours.add(our_session.round_trip(line) * 1e6);
         }
      }
      require_success(our_session.finish(), "echo through " + transport);
      require_success(their_session.finish(), "echo through ssh");
      suite.add(std::move(figure));
   }
}

}  // namespace dpp::bench

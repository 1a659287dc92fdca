// A long `command` session, as an IDE keeps one open for hours: bursts of traffic of every size
// through one `command` (`exec cat` on the workspace, every byte checked on its way back), for
// both transports at once, while the provider process's resident memory and open descriptors
// are sampled from /proc. After a warm-up neither may grow beyond a small tolerance: this is a
// resource bound, not a time bound.
//
// Duration: 120 s in the e2e run. The long soak is its own CTest entry (label `soak`), which
// skips unless DPP_SOAK_SECONDS says how long:
//    DPP_SOAK_SECONDS=1800 ctest --test-dir build/dev -L soak --output-on-failure
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <thread>

#include "lane.hpp"
#include "process_probe.hpp"
#include "requirements.hpp"
#include "support/pipe.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::reliability {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int kDefaultSeconds = 120;
// The floor of resident memory (its lowest sample in a window) may rise by this much from the
// first third after the warm-up to the last third. Peaks are no measure: libssh2 keeps the
// packets that arrived ahead of the pump (up to the 16 MiB receive window it was granted) and
// frees them as they are read, so resident memory swings by a few MiB from one sample to the
// next, leak or not. What stays allocated shows in the floor: the pump allocates nothing per
// message that it keeps (fixed buffers), so the floor moves only by page-level noise (glibc
// trimming heap tops, the kernel touching pages of buffers already allocated). A leak of 32
// bytes per message lifts it past 1 MiB within the 2 minutes; in the long soak, far less does.
constexpr long kRssToleranceKib = 1024;
// Descriptors are exact: a session holds a fixed set (socket, pipes, files), so any new one that
// stays is a leak.
constexpr int kFdTolerance = 0;
constexpr std::size_t kPatternBytes = 1 << 20;

// The e2e run is always 2 minutes; the `soak` entry (DPP_SOAK_MODE) runs DPP_SOAK_SECONDS.
int soak_seconds() {
   const char* text = std::getenv("DPP_SOAK_SECONDS");
   if (std::getenv("DPP_SOAK_MODE") && text && *text) return std::max(30, std::atoi(text));
   return kDefaultSeconds;
}

#if defined(__SANITIZE_ADDRESS__)
// ASan keeps freed memory in quarantine (up to 256 MiB) and adds shadow pages: resident memory
// grows by design there, so only descriptors are bounded (LeakSanitizer checks the heap at exit).
constexpr bool kBoundMemory = false;
#else
constexpr bool kBoundMemory = true;
#endif

struct Sample {
   double at = 0;  // seconds into the session
   ProcessSample provider;
   long child_rss_kib = 0;  // the ssh child of the system transport (reported, not bounded)
};

struct SessionReport {
   std::string transport;
   int exit_code = -1;
   std::string error;
   uint64_t sent = 0, received = 0;
   double seconds = 0;
   std::vector<Sample> samples;
};

// Runs one session for `duration` and samples it.
SessionReport run_session(Lane& lane, const std::string& transport, std::chrono::seconds duration,
                          const std::vector<unsigned char>& pattern) {
   SessionReport report;
   report.transport = transport;
   ProviderHarness& provider = lane.provider();
   RunOptions options;
   options.overrides["DOKPLOY_SSH_TRANSPORT"] = transport;
   const Machine machine = provider.new_machine("soak-" + transport.substr(0, 3));
   const ProcessResult created = provider.run("create", machine, options);
   if (created.exit_code != 0) {
      report.error = "create failed: " + tail_lines(created.err);
      return report;
   }
   Pipe to_child, from_child;
   const std::string err_file = machine.folder + "/../soak-" + transport + ".err";
   const int err_fd = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
   RunOptions command = options;
   command.command = "exec cat";
   ProcessOptions process;
   process.argv = {provider_path(), "command"};
   process.env = provider.environment(machine, command);
   // Resident memory should follow what the provider keeps, not the allocator's history. glibc
   // serves blocks below its mmap threshold from the heap, and a heap that once held a backlog
   // of packets (libssh2 keeps those that arrived ahead of the pump until they are read) stays
   // that large: one step up at a random moment of the session, leak or not. With a fixed,
   // small threshold every packet-sized block is mapped and unmapped on its own, and the heap
   // holds only small blocks: a leak of small blocks still piles up there, a leak of large
   // ones still stays mapped. (A fixed threshold also stops glibc from moving it mid-session.)
   (*process.env)["MALLOC_MMAP_THRESHOLD_"] = "4096";
   process.stdin_fd = to_child.read;
   process.stdout_fd = from_child.write;
   process.stderr_fd = err_fd;
   ChildProcess child(process);
   ::close(err_fd);
   to_child.close_read();
   from_child.close_write();
   const pid_t pid = child.pid();
   const auto started = Clock::now();

   std::atomic<bool> mismatch{false};
   std::atomic<uint64_t> received{0};
   std::thread reader([&] {
      std::vector<unsigned char> buffer(256 * 1024);
      uint64_t offset = 0;
      while (true) {
         const ssize_t n = ::read(from_child.read, buffer.data(), buffer.size());
         if (n < 0 && errno == EINTR) continue;
         if (n <= 0) break;
         for (ssize_t done = 0; done < n;) {
            const std::size_t at = offset % kPatternBytes;
            const std::size_t span =
                std::min<std::size_t>(static_cast<std::size_t>(n - done), kPatternBytes - at);
            if (std::memcmp(buffer.data() + done, pattern.data() + at, span) != 0) mismatch = true;
            done += static_cast<ssize_t>(span);
            offset += span;
         }
         received = offset;
      }
   });
   std::atomic<uint64_t> sent{0};
   std::thread writer([&] {
      // Bursts of up to 2 MiB in the first 700 ms of every second, then quiet: an IDE's pattern
      // (typing, file syncs, idle), chunk sizes log-uniform from 1 byte to 64 KiB.
      std::mt19937_64 random(42);
      std::uniform_real_distribution<double> exponent(0.0, 16.0);
      uint64_t offset = 0;
      while (Clock::now() - started < duration) {
         const auto second = Clock::now();
         uint64_t burst = 0;
         while (burst < (2u << 20) && Clock::now() - second < 700ms) {
            std::size_t size = static_cast<std::size_t>(std::pow(2.0, exponent(random)));
            size = std::clamp<std::size_t>(size, 1, 65536);
            while (size > 0) {
               const std::size_t at = offset % kPatternBytes;
               const std::size_t span = std::min(size, kPatternBytes - at);
               const ssize_t n = ::write(to_child.write, pattern.data() + at, span);
               if (n < 0 && errno == EINTR) continue;
               if (n <= 0) return;
               offset += static_cast<uint64_t>(n);
               burst += static_cast<uint64_t>(n);
               size -= static_cast<std::size_t>(n);
            }
            sent = offset;
         }
         std::this_thread::sleep_until(second + 1s);
      }
   });
   while (Clock::now() - started < duration) {
      Sample sample;
      sample.at = std::chrono::duration<double>(Clock::now() - started).count();
      const std::optional<ProcessSample> now = sample_process(pid);
      if (!now) break;  // the command ended early: reported below
      sample.provider = *now;
      for (pid_t grandchild : descendants_of(pid))
         if (auto child_sample = sample_process(grandchild)) sample.child_rss_kib += child_sample->rss_kib;
      report.samples.push_back(sample);
      // Four a second: the floor of a window is then a true floor (a moment with no packets held).
      std::this_thread::sleep_for(250ms);
   }
   writer.join();
   to_child.close_write();  // EOF: cat ends, and with it the command
   const std::optional<int> exit = child.wait_for(60s);
   reader.join();
   report.seconds = std::chrono::duration<double>(Clock::now() - started).count();
   report.exit_code = exit.value_or(-1);
   report.sent = sent;
   report.received = received;
   std::ifstream err(err_file);
   const std::string err_text((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
   if (!exit)
      report.error = "the command did not end after its stdin closed";
   else if (*exit != 0)
      report.error = "the command ended with exit " + std::to_string(*exit) + ": " + tail_lines(err_text);
   else if (mismatch)
      report.error = "bytes came back changed";
   else if (report.sent != report.received)
      report.error =
          "sent " + std::to_string(report.sent) + " bytes, got back " + std::to_string(report.received);
   const std::string deleted = lane.delete_and_check(machine, options);
   if (report.error.empty() && !deleted.empty()) report.error = deleted;
   return report;
}

void check_and_print(const SessionReport& report, double warm_up) {
   std::printf("\n%s transport: exit %d, %.1f MiB each way in %.0f s (%.2f MiB/s average)\n",
               report.transport.c_str(), report.exit_code, report.sent / 1048576.0, report.seconds,
               report.sent / 1048576.0 / report.seconds);
   EXPECT_EQ(report.error, "") << report.transport;
   ASSERT_GE(report.samples.size(), 10u) << report.transport << ": too few samples";
   const auto after = std::find_if(report.samples.begin(), report.samples.end(),
                                   [&](const Sample& s) { return s.at >= warm_up; });
   ASSERT_NE(after, report.samples.end());
   const Sample baseline = *after;
   long max_rss = baseline.provider.rss_kib;
   int max_fds = baseline.provider.fds, min_fds = baseline.provider.fds;
   for (auto it = after; it != report.samples.end(); ++it) {
      max_rss = std::max(max_rss, it->provider.rss_kib);
      max_fds = std::max(max_fds, it->provider.fds);
      min_fds = std::min(min_fds, it->provider.fds);
   }
   // The floors of the first and the last third of the time after the warm-up.
   const double span = report.samples.back().at - warm_up;
   long early_floor = LONG_MAX, late_floor = LONG_MAX;
   for (auto it = after; it != report.samples.end(); ++it) {
      if (it->at <= warm_up + span / 3) early_floor = std::min(early_floor, it->provider.rss_kib);
      if (it->at >= warm_up + span * 2 / 3) late_floor = std::min(late_floor, it->provider.rss_kib);
   }
   ASSERT_NE(early_floor, LONG_MAX);
   ASSERT_NE(late_floor, LONG_MAX);
   const Sample& first = report.samples.front();
   const Sample& last = report.samples.back();
   std::printf(
       "  provider RSS: %ld KiB at start, %ld KiB after the %.0f s warm-up, max %ld KiB after it, %ld KiB at "
       "the end; floor %ld KiB in the first third after the warm-up, %ld KiB in the last (%+ld KiB, "
       "tolerance %ld KiB)\n",
       first.provider.rss_kib, baseline.provider.rss_kib, warm_up, max_rss, last.provider.rss_kib,
       early_floor, late_floor, late_floor - early_floor, kRssToleranceKib);
   std::printf("  provider fds: %d at start, %d after warm-up, %d..%d after it\n", first.provider.fds,
               baseline.provider.fds, min_fds, max_fds);
   if (last.child_rss_kib)
      std::printf("  ssh child RSS: %ld KiB at start, %ld KiB at the end (reported only)\n",
                  first.child_rss_kib, last.child_rss_kib);
   std::printf("  samples (s: RSS KiB / fds):");
   const std::size_t step = std::max<std::size_t>(1, report.samples.size() / 16);
   for (std::size_t i = 0; i < report.samples.size(); i += step)
      std::printf(" %.0f: %ld/%d", report.samples[i].at, report.samples[i].provider.rss_kib,
                  report.samples[i].provider.fds);
   std::printf("\n");
   if (kBoundMemory)
      EXPECT_LE(late_floor - early_floor, kRssToleranceKib) << report.transport << ": resident memory grew";
   else
      std::printf("  (AddressSanitizer build: resident memory is reported, not bounded)\n");
   EXPECT_LE(max_fds - baseline.provider.fds, kFdTolerance) << report.transport << ": descriptors grew";
}

void soak(std::chrono::seconds duration) {
   const std::string missing = missing_requirement({.system_ssh = true});
   if (!missing.empty()) DPP_SKIP(missing);
   LaneOptions options;
   options.emulator.queue_delay_ms = 50;
   options.emulator.deploy_duration_ms = 50;
   Lane lane(options);
   std::vector<unsigned char> pattern(kPatternBytes);
   std::mt19937_64 random(7);
   for (auto& byte : pattern) byte = static_cast<unsigned char>(random());
   const double warm_up = std::max(15.0, duration.count() * 0.1);
   std::printf("soak: %lld s per transport, both at once, warm-up %.0f s\n",
               static_cast<long long>(duration.count()), warm_up);
   SessionReport libssh2, system;
   std::thread one([&] { libssh2 = run_session(lane, "libssh2", duration, pattern); });
   std::thread two([&] { system = run_session(lane, "system", duration, pattern); });
   one.join();
   two.join();
   check_and_print(libssh2, warm_up);
   check_and_print(system, warm_up);
   for (const auto& leak : lane.provider().token_leaks()) ADD_FAILURE() << leak;
}

TEST(Soak, LongCommandSessionKeepsMemoryAndDescriptorsFlatOnBothTransports) {
   // The `soak` CTest entry sets DPP_SOAK_MODE; there the duration must be asked for.
   if (std::getenv("DPP_SOAK_MODE") && !std::getenv("DPP_SOAK_SECONDS"))
      DPP_SKIP(
          "the long soak runs only when asked: DPP_SOAK_SECONDS=1800 ctest --test-dir build/dev -L soak");
   soak(std::chrono::seconds(soak_seconds()));
}

}  // namespace
}  // namespace dpp::test::reliability

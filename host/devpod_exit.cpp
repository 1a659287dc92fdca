// How the host leaves when DevPod runs it.
#include "devpod_exit.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

#include "logging/logging.hpp"

namespace dpp::host {

namespace {
// Long enough for a goroutine on a loaded two-core machine; only a failing verb pays it.
constexpr std::chrono::milliseconds kDevPodRelayGrace{500};
}  // namespace

bool run_by_devpod(const core::Environment& env) {
   return env.get("DEVPOD").has_value() || env.get("DOKPLOY_PROVIDER").has_value();
}

std::chrono::milliseconds exit_grace(const Verb& verb, bool by_devpod, int exit_code) {
   if (!by_devpod || exit_code == 0 || !verb.output_relayed_by_devpod) return std::chrono::milliseconds(0);
   return kDevPodRelayGrace;
}

void close_output_and_wait(std::chrono::milliseconds grace) {
   core::log().flush();
   std::fflush(nullptr);  // std::cout and std::cerr too: main syncs them with stdio
   // DevPod's reader sees the end of our output now, not at our exit.
   const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
   if (null >= 0) {
      ::dup2(null, STDOUT_FILENO);
      ::dup2(null, STDERR_FILENO);
      ::close(null);
   }
   std::this_thread::sleep_for(grace);
}

}  // namespace dpp::host

// Signal handling for cancellation.
#include "lifecycle/signals.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>

#include "errors.hpp"
#include "loader/host_services.hpp"

namespace dpp::core {
namespace {

std::atomic<CancelHook> g_hook{nullptr};
std::atomic<void*> g_context{nullptr};

extern "C" void on_signal(int) {
   if (HostServices::cancel_requested()) _exit(kExitCancelled);  // second signal: stop now
   HostServices::request_cancel();
   CancelHook hook = g_hook.load();
   if (hook) hook(g_context.load());
}

}  // namespace

void install_signal_handlers() {
   struct sigaction action {};
   action.sa_handler = on_signal;
   sigemptyset(&action.sa_mask);
   action.sa_flags = 0;  // no SA_RESTART: blocking calls return EINTR and notice the flag
   sigaction(SIGINT, &action, nullptr);
   sigaction(SIGTERM, &action, nullptr);
   sigaction(SIGHUP, &action, nullptr);
   struct sigaction ignore {};
   ignore.sa_handler = SIG_IGN;
   sigemptyset(&ignore.sa_mask);
   sigaction(SIGPIPE, &ignore, nullptr);
}

void set_cancel_hook(CancelHook hook, void* context) {
   g_context.store(context);
   g_hook.store(hook);
}

}  // namespace dpp::core

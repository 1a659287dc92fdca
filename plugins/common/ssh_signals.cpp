// Signal names and numbers.
#include "common/ssh_signals.hpp"

#include <signal.h>

#include <array>
#include <utility>

namespace dpp::plugins {
namespace {

// The signals RFC 4254 names, plus the other standard ones a remote process can die of.
constexpr std::array<std::pair<std::string_view, int>, 28> kSignals{{
    {"HUP", SIGHUP},       {"INT", SIGINT},   {"QUIT", SIGQUIT}, {"ILL", SIGILL},   {"TRAP", SIGTRAP},
    {"ABRT", SIGABRT},     {"BUS", SIGBUS},   {"FPE", SIGFPE},   {"KILL", SIGKILL}, {"USR1", SIGUSR1},
    {"SEGV", SIGSEGV},     {"USR2", SIGUSR2}, {"PIPE", SIGPIPE}, {"ALRM", SIGALRM}, {"TERM", SIGTERM},
    {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD}, {"CONT", SIGCONT}, {"STOP", SIGSTOP}, {"TSTP", SIGTSTP},
    {"TTIN", SIGTTIN},     {"TTOU", SIGTTOU}, {"URG", SIGURG},   {"XCPU", SIGXCPU}, {"XFSZ", SIGXFSZ},
    {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"SYS", SIGSYS},
}};

}  // namespace

int ssh_signal_number(std::string_view name) {
   if (name.substr(0, 3) == "SIG") name.remove_prefix(3);
   for (const auto& [known, number] : kSignals)
      if (known == name) return number;
   return 0;
}

std::string ssh_signal_name(int number) {
   for (const auto& [known, value] : kSignals)
      if (value == number) return std::string(known);
   return "";
}

}  // namespace dpp::plugins

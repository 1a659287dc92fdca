// The choice between the "exec" request and the stdin loader (scheme in the header).
#include "common/ssh_launch.hpp"

#include "common/ssh_remote_command.hpp"

namespace dpp::plugins {
namespace {

std::string exec_command(std::string_view script, SignalReport signals) {
   return signals == SignalReport::exit_status ? ssh_remote_command_reporting_signals(script)
                                               : ssh_remote_command(script);
}

}  // namespace

std::string ssh_stdin_loader(std::size_t length) {
   // The names are unlikely in a script's environment, and unset before it runs. GNU's and
   // busybox's dd take all the bytes in one go with iflag=fullblock (still never more); a dd
   // without it refuses the operand before reading and the plain one-read dd follows. The '.'
   // keeps the chunk's trailing newlines through the command substitution; `wc -c` counts bytes
   // in every locale. A stdin that ends early stops the loop instead of spinning.
   return "dpp_n=" + std::to_string(length) +
          "; dpp_s=; while [ \"$dpp_n\" -gt 0 ]; do"
          " dpp_c=$(dd bs=\"$dpp_n\" count=1 iflag=fullblock 2>/dev/null ||"
          " dd bs=\"$dpp_n\" count=1 2>/dev/null; echo .); dpp_c=${dpp_c%.};"
          " dpp_k=$(($(printf %s \"$dpp_c\" | wc -c)));"
          " if [ \"$dpp_k\" -eq 0 ]; then echo \"dokploy-provider: stdin ended $dpp_n bytes before the end"
          " of the command (the workspace needs dd and wc)\" >&2; exit 127; fi;"
          " dpp_s=$dpp_s$dpp_c; dpp_n=$((dpp_n-dpp_k)); done;"
          " eval \"unset dpp_n dpp_s dpp_c dpp_k; $dpp_s\"";
}

SshLaunch ssh_launch(std::string_view script, SignalReport signals) {
   // Every encoding is at least as long as the script: only a short one can fit.
   if (script.size() <= kMaxExecCommand) {
      std::string direct = exec_command(script, signals);
      if (direct.size() <= kMaxExecCommand) return SshLaunch{std::move(direct), {}};
   }
   return SshLaunch{exec_command(ssh_stdin_loader(script.size()), signals), std::string(script)};
}

}  // namespace dpp::plugins

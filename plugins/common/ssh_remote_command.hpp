// Turns DevPod's COMMAND (a POSIX sh script) into the command string an SSH server hands to the
// user's login shell, so that bash, zsh, fish or csh never interpret the script itself.
//
// sshd always runs `<login shell> -c <string>`. The string we send is
//
//    exec sh -c '<X>'
//
// where X contains only printable ASCII without `'`, `\` and `!`: inside single quotes every
// common login shell then passes X through untouched (fish treats `\'` and `\\` specially there,
// csh expands `!` and rejects newlines). X is the script itself when the script qualifies;
// otherwise it is sh code that rebuilds the script and evals it:
//
//    b=$(printf %s X | LC_ALL=C tr VWXYZ Z-^); s=$(printf "<format>."); eval "unset b s; ${s%.}"
//
// `tr` maps X to the fifth character of the range Z..^, a backslash, which X itself may not
// contain; <format> spells every unsafe byte as ${b}<3 octal digits> (and % as %%). The final '.'
// keeps trailing newlines through the command substitution; the script sees neither b nor s.
#pragma once

#include <string>
#include <string_view>

namespace dpp::plugins {

// True when `script` can stand between single quotes for every login shell as it is.
bool ssh_script_is_quote_safe(std::string_view script);

// sh code, itself quote-safe, that runs `script` exactly (its encoded form, see above).
std::string ssh_encode_script(std::string_view script);

// The command string for the SSH "exec" request: `exec sh -c '<script or its encoding>'`.
std::string ssh_remote_command(std::string_view script);

// Like ssh_remote_command, but the script runs in a child `sh` whose parent exits with the
// child's status, so a script killed by signal N ends the session with exit status 128+N. For
// clients that drop the SSH "exit-signal" message (OpenSSH's ssh reports 255 for it).
std::string ssh_remote_command_reporting_signals(std::string_view script);

}  // namespace dpp::plugins

// How DevPod's COMMAND starts over SSH, whatever its size.
//
// A script travels in the SSH "exec" request while that stays small: libssh2 1.10 sends no packet
// over 35000 bytes (measured: at most 34725 bytes of command), and sshd hands the command to the
// login shell as one argument, which Linux limits to 128 KiB (MAX_ARG_STRLEN; OpenSSH's own `ssh`
// fails there with "Argument list too long"). A larger script goes on the channel's stdin, ahead
// of the caller's data, and the "exec" request carries a short loader instead:
//
//    n=<length>; s=; while [ n > 0 ]; do c=$(dd bs=<n> count=1; echo .); s=$s${c%.}; n=n-<bytes of c>; done
//    eval "unset …; $s"
//
// `dd … count=1` makes one read(2) of at most the bytes still missing (with iflag=fullblock,
// where dd knows it, as many as it takes to get them), so not one byte of the caller's data is
// taken: the script then reads it from the same stdin. `head -c` would not do: busybox's reads
// ahead of what it prints (measured: 4096 bytes taken for `head -c 5` from a pipe). The loader is wrapped for
// the login shell like any script (ssh_remote_command.hpp) and evals the script in the shell the
// encoded path uses too. It needs `dd` and `wc` on the workspace (coreutils or busybox).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dpp::plugins {

// The longest "exec" command either transport sends; a longer one goes through the loader.
inline constexpr std::size_t kMaxExecCommand = 32768;

// How a script killed by a signal shows: an SSH "exit-signal" message (libssh2 reads it), or an
// exit status of 128+N from a parent sh (OpenSSH's ssh drops "exit-signal").
enum class SignalReport { exit_signal, exit_status };

struct SshLaunch {
   std::string exec_command;  // for the SSH "exec" request; at most kMaxExecCommand bytes
   std::string stdin_prefix;  // sent on the channel's stdin before the caller's bytes ("" = none)
};

SshLaunch ssh_launch(std::string_view script, SignalReport signals);

// sh code, safe between single quotes for every login shell, that reads exactly `length` bytes
// from stdin and evals them (scheme above).
std::string ssh_stdin_loader(std::size_t length);

}  // namespace dpp::plugins

// Signal names as SSH carries them ("KILL", RFC 4254 §6.10) and the numbers behind exit codes
// 128+N, shared by both SSH transports.
#pragma once

#include <string>
#include <string_view>

namespace dpp::plugins {

// The Linux number of a signal named without "SIG" ("KILL" → 9); 0 when unknown.
int ssh_signal_number(std::string_view name);

// The name without "SIG" of a signal number (9 → "KILL"); "" when unknown.
std::string ssh_signal_name(int number);

}  // namespace dpp::plugins

// The host's logging: spdlog, to stderr only (stdout belongs to `status` and `command`), as text
// or JSON lines, with every known secret masked before a line is written.
#pragma once

#include <spdlog/spdlog.h>

#include <string>
#include <string_view>

namespace dpp::core {

// Every line names its origin once: "dokploy-provider" for the host's own lines, the plugin's
// id for a plugin's. text: for a terminal, "[   0.17s] info  dokploy: stopped devpod-m1".
// devpod: for DevPod, which puts its own time and level word before each line of a provider
// ("info dokploy: stopped devpod-m1"), so an information line carries no level word and other
// levels say theirs after the origin ("dokploy: warning: …"). json: one object per line.
enum class LogFormat { text, devpod, json };

// The origin of the host's own lines.
inline constexpr const char* kHostLogOrigin = "dokploy-provider";

// Sets the level (DPP_LOG_* numbers, which are spdlog's) and the format of the host's logger.
void configure_logging(int level, LogFormat format);

// Masks `secret` ("***") in every later log line. Values shorter than 4 bytes are ignored
// (masking "1" everywhere would make logs useless and protect nothing).
void redact_in_logs(const std::string& secret);

// Masks the secrets registered so far in `text` (also used for error messages).
std::string redact(std::string_view text);

// The host's logger: its lines name kHostLogOrigin.
spdlog::logger& log();

// Writes `message` at `level` (DPP_LOG_*) as a line of `origin` (a plugin's id), through the host's
// logger and its level.
void log_from(std::string_view origin, int level, std::string_view message);

}  // namespace dpp::core

// The host's logging: spdlog, to stderr only (stdout belongs to `status` and `command`), as text
// or JSON lines, with every known secret masked before a line is written.
#pragma once

#include <spdlog/spdlog.h>

#include <string>
#include <string_view>

namespace dpp::core {

enum class LogFormat { text, json };

// Sets the level (DPP_LOG_* numbers, which are spdlog's) and the format of the "dpp" logger.
void configure_logging(int level, LogFormat format);

// Masks `secret` ("***") in every later log line. Values shorter than 4 bytes are ignored
// (masking "1" everywhere would make logs useless and protect nothing).
void redact_in_logs(const std::string& secret);

// Masks the secrets registered so far in `text` (also used for error messages).
std::string redact(std::string_view text);

spdlog::logger& log();

}  // namespace dpp::core

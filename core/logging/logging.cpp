// spdlog set-up with a sink that writes whole lines to fd 2 in text or JSON, secrets masked.
#include "logging/logging.hpp"

#include <spdlog/details/null_mutex.h>
#include <spdlog/sinks/base_sink.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <vector>

#include "util/text.hpp"

namespace dpp::core {
namespace {

std::mutex& secrets_mutex() {
   static std::mutex mutex;
   return mutex;
}

std::vector<std::string>& secrets() {
   static std::vector<std::string> values;
   return values;
}

const auto kStart = std::chrono::steady_clock::now();

std::string json_escape(std::string_view text) {
   std::string out;
   out.reserve(text.size() + 8);
   for (char c : text) {
      switch (c) {
         case '"': out += "\\\""; break;
         case '\\': out += "\\\\"; break;
         case '\n': out += "\\n"; break;
         case '\r': out += "\\r"; break;
         case '\t': out += "\\t"; break;
         default:
            if (static_cast<unsigned char>(c) < 0x20) {
               char escaped[8];
               std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
               out += escaped;
            } else {
               out += c;
            }
      }
   }
   return out;
}

double seconds_since_start() {
   return std::chrono::duration<double>(std::chrono::steady_clock::now() - kStart).count();
}

std::string level_name(spdlog::level::level_enum level) {
   const auto name = spdlog::level::to_string_view(level);
   return std::string(name.data(), name.size());
}

// "[   0.17s] info  dokploy: stopped devpod-m1"
std::string text_line(spdlog::level::level_enum level, const std::string& origin, const std::string& text) {
   char prefix[32];
   std::snprintf(prefix, sizeof prefix, "[%7.2fs] %-5s ", seconds_since_start(), level_name(level).c_str());
   return prefix + origin + ": " + text + "\n";
}

// "dokploy: stopped devpod-m1", "dokploy: warning: port 2222 is taken": DevPod adds the time and
// its own level word (info for every line of create, start, stop and delete).
std::string devpod_line(spdlog::level::level_enum level, const std::string& origin, const std::string& text) {
   if (level == spdlog::level::info) return origin + ": " + text + "\n";
   const std::string word = level == spdlog::level::warn ? "warning" : level_name(level);
   return origin + ": " + word + ": " + text + "\n";
}

std::string json_line(const spdlog::details::log_msg& message, const std::string& origin,
                      const std::string& text) {
   const auto since_epoch =
       std::chrono::duration_cast<std::chrono::milliseconds>(message.time.time_since_epoch()).count();
   return "{\"time_ms\":" + std::to_string(since_epoch) +
          ",\"elapsed_ms\":" + std::to_string(static_cast<long long>(seconds_since_start() * 1000)) +
          ",\"level\":\"" + level_name(message.level) + "\",\"origin\":\"" + json_escape(origin) +
          "\",\"msg\":\"" + json_escape(text) + "\"}\n";
}

// Writes each record as one write(2) so lines of concurrent processes do not interleave.
class StderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
   explicit StderrSink(LogFormat format) : format_(format) {}

 protected:
   void sink_it_(const spdlog::details::log_msg& message) override {
      // One record, one line: text from outside (a server's answer, a plugin's detail) may carry
      // line breaks or terminal escapes, which are escaped here so that no line can be forged;
      // and bytes that are not UTF-8 are escaped so that JSON lines stay JSON.
      const std::string text =
          printable_text(redact(std::string_view(message.payload.data(), message.payload.size())));
      const std::string origin(message.logger_name.data(), message.logger_name.size());
      const std::string line = format_ == LogFormat::json     ? json_line(message, origin, text)
                               : format_ == LogFormat::devpod ? devpod_line(message.level, origin, text)
                                                              : text_line(message.level, origin, text);
      std::size_t written = 0;
      while (written < line.size()) {
         ssize_t n = ::write(STDERR_FILENO, line.data() + written, line.size() - written);
         if (n <= 0) break;  // stderr gone: nothing better to do than drop the line
         written += static_cast<std::size_t>(n);
      }
   }
   void flush_() override {}

 private:
   LogFormat format_;
};

std::shared_ptr<spdlog::logger>& logger_instance() {
   static std::shared_ptr<spdlog::logger> instance = [] {
      auto made =
          std::make_shared<spdlog::logger>(kHostLogOrigin, std::make_shared<StderrSink>(LogFormat::text));
      made->set_level(spdlog::level::info);
      return made;
   }();
   return instance;
}

}  // namespace

void configure_logging(int level, LogFormat format) {
   auto made = std::make_shared<spdlog::logger>(kHostLogOrigin, std::make_shared<StderrSink>(format));
   made->set_level(static_cast<spdlog::level::level_enum>(level));
   made->flush_on(spdlog::level::trace);
   logger_instance() = made;
}

void redact_in_logs(const std::string& secret) {
   if (secret.size() < 4) return;
   std::lock_guard lock(secrets_mutex());
   secrets().push_back(secret);
}

std::string redact(std::string_view text) {
   std::string out(text);
   std::lock_guard lock(secrets_mutex());
   for (const auto& secret : secrets()) {
      std::size_t at = 0;
      while ((at = out.find(secret, at)) != std::string::npos) {
         out.replace(at, secret.size(), "***");
         at += 3;
      }
   }
   return out;
}

spdlog::logger& log() {
   return *logger_instance();
}

void log_from(std::string_view origin, int level, std::string_view message) {
   spdlog::logger& logger = log();
   const auto spd_level = static_cast<spdlog::level::level_enum>(level);
   if (!logger.should_log(spd_level)) return;
   // The logger's own name is the host's: a record of its own carries the plugin's.
   const spdlog::details::log_msg record(spdlog::string_view_t(origin.data(), origin.size()), spd_level,
                                         spdlog::string_view_t(message.data(), message.size()));
   for (const auto& sink : logger.sinks())
      if (sink->should_log(spd_level)) sink->log(record);
}

}  // namespace dpp::core

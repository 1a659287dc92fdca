// Classification of ssh runs from the exit code and the DEBUG1 log.
#include "ssh_outcome.hpp"

#include <regex>
#include <sstream>
#include <vector>

#include "common/ssh_signals.hpp"

namespace dpp::plugins::system_ssh {
namespace {

bool has(const std::string& text, const char* needle) {
   return text.find(needle) != std::string::npos;
}

// ssh's own messages (not debug chatter, not the transfer statistics, not the warning banner).
std::vector<std::string> error_lines(const std::string& log) {
   std::vector<std::string> lines;
   std::istringstream in(log);
   std::string line;
   while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty() || line.rfind("debug", 0) == 0 || line.rfind("Transferred:", 0) == 0 ||
          line.rfind("Bytes per second:", 0) == 0 || line.rfind("Authenticated to", 0) == 0 ||
          line.rfind("@", 0) == 0 || line.rfind("Warning: Permanently added", 0) == 0)
         continue;
      lines.push_back(line);
   }
   return lines;
}

std::string joined(const std::vector<std::string>& lines, std::size_t last = 3) {
   std::string text;
   const std::size_t first = lines.size() > last ? lines.size() - last : 0;
   for (std::size_t i = first; i < lines.size(); ++i) {
      if (!text.empty()) text += "; ";
      text += lines[i];
   }
   return text;
}

// The last "debug1: Exit status N" (N = -1 when the server sent none).
bool exit_status(const std::string& log, int& status) {
   static const std::regex pattern("debug1: Exit status (-?[0-9]+)");
   bool found = false;
   for (auto it = std::sregex_iterator(log.begin(), log.end(), pattern); it != std::sregex_iterator(); ++it) {
      status = std::stoi((*it)[1].str());
      found = true;
   }
   return found;
}

// Type and fingerprint of the key the server presented, from ssh's log.
std::pair<std::string, std::string> presented_key(const std::string& log) {
   std::smatch match;
   static const std::regex server_key("Server host key: (\\S+) (SHA256:[A-Za-z0-9+/]+)");
   if (std::regex_search(log, match, server_key)) return {match[1].str(), match[2].str()};
   static const std::regex warning(
       "The fingerprint for the (\\S+) key sent by the remote host is\\s+(SHA256:[A-Za-z0-9+/]+)");
   if (std::regex_search(log, match, warning)) return {match[1].str(), match[2].str()};
   return {"", ""};
}

// Whole seconds, as ssh's ServerAliveInterval got them.
std::string seconds_text(std::chrono::milliseconds duration) {
   return std::to_string((duration.count() + 999) / 1000);
}

SshOutcome failure(dpp_status status, std::string message, bool retryable = false) {
   SshOutcome outcome;
   outcome.status = status;
   outcome.message = std::move(message);
   outcome.retryable = retryable;
   return outcome;
}

SshOutcome remote_exit(int code) {
   SshOutcome outcome;
   outcome.remote_exit = true;
   outcome.exit_code = code;
   // The wrapper turned a death by signal N into 128+N.
   if (code > 128 && code < 128 + 65) outcome.exit_signal = ssh_signal_name(code - 128);
   return outcome;
}

}  // namespace

SshOutcome read_ssh_outcome(int exit_code, const std::string& log, const SshRunContext& context) {
   const std::vector<std::string> errors = error_lines(log);
   const bool mux_session = has(log, "mux_client_request_session: master session id");
   const bool session = has(log, "Authenticated to ") || mux_session;

   if (session) {
      int status = -1;
      if (exit_status(log, status) && status >= 0) return remote_exit(status);
      if (has(log, "rtype exit-signal")) {
         SshOutcome outcome = remote_exit(255);
         outcome.exit_signal = "";
         return outcome;
      }
      // A client of a shared connection logs no exit status: its exit code is the remote's,
      // unless ssh itself reported a failure.
      if (mux_session && (exit_code != 255 || errors.empty())) return remote_exit(exit_code);
      if (has(log, "not responding"))
         return failure(DPP_E_CONNECTION_LOST, "the connection to " + context.endpoint +
                                                   " is lost: 3 keepalives went unanswered (one every " +
                                                   seconds_text(context.keepalive) +
                                                   " s; see DOKPLOY_SSH_KEEPALIVE)");
      return failure(DPP_E_CONNECTION_LOST, "the connection to " + context.endpoint + " was lost" +
                                                (errors.empty() ? std::string(" (ssh exited with code ") +
                                                                      std::to_string(exit_code) + ")"
                                                                : ": " + joined(errors)));
   }

   if (has(log, "REMOTE HOST IDENTIFICATION HAS CHANGED") || has(log, "Host key verification failed") ||
       has(log, "host key is known for")) {
      const auto [type, fingerprint] = presented_key(log);
      return failure(
          DPP_E_HOST_KEY_MISMATCH,
          "host key mismatch at " + context.endpoint + ": expected " + context.pinned_fingerprint + " (" +
              context.pinned_type + ", pinned for this workspace) but the server presented " +
              (fingerprint.empty() ? std::string("another key") : fingerprint + " (" + type + ")") +
              "; refusing to connect. Another server may answer on this port, or the workspace was "
              "recreated with a new key");
   }
   if (has(log, "Permission denied") || has(log, "Too many authentication failures") ||
       (context.password && exit_code == 5)) {
      std::smatch match;
      static const std::regex methods("Permission denied \\(([^)]*)\\)");
      const std::string accepted =
          std::regex_search(log, match, methods) ? " (the server accepts: " + match[1].str() + ")" : "";
      return failure(DPP_E_AUTH, context.login + " refused " + context.credential + accepted);
   }
   if (has(log, "Could not resolve hostname"))
      return failure(DPP_E_CONNECT, "cannot connect to " + context.endpoint + ": " + joined(errors));
   if (has(log, "Unable to negotiate") || has(log, "no matching"))
      return failure(DPP_E_PROTOCOL,
                     "no common SSH algorithms with " + context.endpoint + ": " + joined(errors));
   const bool banner = has(log, "Remote protocol version");
   if (!banner && (has(log, "Connection refused") || has(log, "Connection reset") ||
                   has(log, "kex_exchange_identification") || has(log, "Connection closed") ||
                   has(log, "banner exchange") || has(log, "timed out") || has(log, "No route to host") ||
                   has(log, "Network is unreachable") || has(log, "Broken pipe")))
      return failure(has(log, "timed out") ? DPP_E_TIMEOUT : DPP_E_CONNECT,
                     "cannot connect to " + context.endpoint + ": " + joined(errors), true);
   if (exit_code == 126 || exit_code == 127)
      return failure(DPP_E_CONFIG, "the ssh client could not be started (exit code " +
                                       std::to_string(exit_code) + ")" +
                                       (errors.empty() ? "" : ": " + joined(errors)));
   if (context.password && exit_code >= 1 && exit_code <= 6 && errors.empty())
      return failure(DPP_E_CONNECT, "sshpass failed with exit code " + std::to_string(exit_code));
   return failure(
       banner ? DPP_E_PROTOCOL : DPP_E_CONNECT,
       "ssh to " + context.login + " failed" +
           (errors.empty() ? " with exit code " + std::to_string(exit_code) : ": " + joined(errors)));
}

}  // namespace dpp::plugins::system_ssh

// Shared configuration of the SSH transports.
#include "common/ssh_transport_config.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/ssh_tcp.hpp"

namespace dpp::plugins {

std::chrono::milliseconds keepalive_interval(const sdk::Options& options) {
   const uint64_t ms = options.get_u64(kOptSshKeepalive, 15'000);
   if (ms == 0) return std::chrono::milliseconds(0);
   if (ms > 24ull * 3600 * 1000)
      throw sdk::Error(DPP_E_CONFIG,
                       std::string(kOptSshKeepalive) + " is longer than a day; use at most 24h");
   return std::chrono::milliseconds(ms < 1000 ? 1000 : ms);
}

void check_ssh_credentials(const sdk::Credentials& credentials) {
   if (credentials.user.empty()) throw sdk::Error(DPP_E_INVALID_ARGUMENT, "no SSH login user given");
   switch (credentials.kind) {
      case DPP_CREDENTIAL_PRIVATE_KEY: {
         const std::string& file = credentials.private_key_file;
         if (file.empty()) throw sdk::Error(DPP_E_INVALID_ARGUMENT, "no private key file given");
         struct stat info {};
         if (::stat(file.c_str(), &info) != 0)
            throw sdk::Error(DPP_E_CONFIG,
                             "cannot read the private key " + file + ": " + std::strerror(errno));
         if (!S_ISREG(info.st_mode))
            throw sdk::Error(DPP_E_CONFIG, "the private key " + file + " is not a regular file");
         if ((info.st_mode & 077) != 0) {
            char mode[8];
            std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
            throw sdk::Error(DPP_E_CONFIG, "the private key " + file + " is accessible by others (mode " +
                                               mode + "); run `chmod 600 " + file + "`");
         }
         return;
      }
      case DPP_CREDENTIAL_PASSWORD:
         if (credentials.password.empty())
            throw sdk::Error(DPP_E_INVALID_ARGUMENT, "the SSH password is empty");
         return;
      default:
         throw sdk::Error(DPP_E_INVALID_ARGUMENT, "unknown credential kind " +
                                                      std::to_string(credentials.kind) +
                                                      " (this transport knows private keys and passwords)");
   }
}

std::string ssh_seconds_text(std::chrono::nanoseconds duration) {
   char text[32];
   std::snprintf(text, sizeof text, "%.3g", std::chrono::duration<double>(duration).count());
   return text;
}

std::string ssh_login_name(const sdk::SshTarget& target) {
   return target.credentials.user + "@" + ssh_endpoint_name(target.host, target.port);
}

}  // namespace dpp::plugins

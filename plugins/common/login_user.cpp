// Validates the login user name.
#include "common/login_user.hpp"

namespace dpp::plugins {

std::string login_user(const sdk::Options& options) {
   const std::string user = options.get_or(kOptSshUser, "devpod");
   bool plain = !user.empty() && user.size() <= 32 && ((user[0] >= 'a' && user[0] <= 'z') || user[0] == '_');
   for (char c : user)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) plain = false;
   if (!plain)
      throw sdk::Error(DPP_E_CONFIG,
                       std::string(kOptSshUser) + "='" + user +
                           "' is not a plain user name: use lower-case letters, digits, '_' and "
                           "'-', starting with a letter, at most 32 characters");
   if (user == "root")
      throw sdk::Error(DPP_E_CONFIG,
                       std::string(kOptSshUser) +
                           "=root is refused: the workspace never allows root to log in over SSH; "
                           "the login user has passwordless sudo instead");
   return user;
}

}  // namespace dpp::plugins

// The login user both auth strategies create in the workspace (option DOKPLOY_SSH_USER).
#pragma once

#include <dpp/cpp/plugin.hpp>
#include <string>

namespace dpp::plugins {

inline constexpr const char* kOptSshUser = "DOKPLOY_SSH_USER";

// The option's declaration, shared by the auth plugins.
constexpr dpp_option_desc login_user_option() {
   return sdk::option(kOptSshUser,
                      "Login user created in the workspace for SSH (never root); DevPod's agent runs as it.")
       .defaults_to("devpod")
       .in_group("ssh");
}

// The configured user, checked: a plain POSIX user name, not root.
std::string login_user(const sdk::Options& options);

}  // namespace dpp::plugins

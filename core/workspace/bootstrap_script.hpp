// The workspace bootstrap script (workspace-bootstrap.sh), compiled into the host.
#pragma once

#include <string_view>

namespace dpp::core {

// The POSIX sh script every workspace runs as its main process (`/bin/sh -c <script>`).
std::string_view workspace_bootstrap_script();

}  // namespace dpp::core

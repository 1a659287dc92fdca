// Why a reliability test cannot run on this machine ("" when it can): they need root (real
// sshd logins as the workspace user in private mount namespaces, real workspaces in network
// namespaces), the built provider and plugins, and OpenSSH.
#pragma once

#include <string>

namespace dpp::test::reliability {

struct Needs {
   bool workspace_runner = false;  // real Debian workspaces (the emulator's `workspace` runner)
   bool system_ssh = false;        // the system transport (ssh, sshpass)
};

std::string missing_requirement(const Needs& needs = {});

}  // namespace dpp::test::reliability

// What the secret-hygiene tests share: an emulator whose deploys start nothing, a DevPod-like
// environment for the real binary with a transport that always answers probes (SSH is not what
// most of these tests are about), and the secrets of one machine collected for the scanner.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hostile_fixture.hpp"
#include "support/emulator.hpp"
#include "support/secret_scan.hpp"
#include "support/temp_dir.hpp"

namespace dpp::test::secrets {

using hostile::clean_environment;
using hostile::run_provider;

// The emulator of these tests (runner "none"), made once.
Emulator& emulator();

// The environment of a machine against emulator(): `auth` is "key" or "password".
EnvMap machine_environment(const std::string& machine, const std::string& folder, const std::string& auth);

// Adds the secrets a machine folder holds once its auth plugin made them: the client private key
// (key strategy) or the password (password strategy), and the workspace's host private key.
void add_machine_secrets(SecretSet& secrets, const std::string& folder, bool with_host_key = true);

// Every finding of `secrets` in a run's stdout and stderr.
std::vector<std::string> findings_in(const SecretSet& secrets, const std::string& what, const ProcessResult& result);

// Every finding of `secrets` in the files under a machine folder, but for the files whose job is
// to hold them (the client private key, the password, the workspace's host private key).
std::vector<std::string> findings_in_machine_folder(const SecretSet& secrets, const std::string& folder);

// The path of the hostile test plugin (tests/plugins/hostile).
std::string hostile_plugin();

std::string read_file(const std::string& path);

}  // namespace dpp::test::secrets

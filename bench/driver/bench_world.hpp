// Everything the figures run against, started once: three Dokploy emulators (one holding the
// workspace the command figures use, one empty and one with 500 other services seeded, for
// `create`), a real sshd on loopback whose login user has /bin/sh and no rc
// files, the machine folders the provider uses, and the reference clients' arguments (OpenSSH
// `ssh` with the machine's own key and pinned host key; `curl` with the API key from a file).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "measured_process.hpp"
#include "support/emulator.hpp"
#include "support/sshd_server.hpp"
#include "support/temp_dir.hpp"

namespace dpp::bench {

struct WorldSettings {
   std::string provider;  // the dokploy-provider to measure (the release bundle, or a build tree's)
   int seeded_services = 500;
   int emulator_delay_ms = 10;  // queue delay and deploy duration of the emulated deploys
};

class BenchWorld {
 public:
   explicit BenchWorld(WorldSettings settings);
   ~BenchWorld();

   const WorldSettings& settings() const { return settings_; }
   // Where the workspace machine lives (status, command, stop, start).
   const dpp::test::Emulator& workspace_emulator() const { return *workspace_; }
   // No service at all (and none of ours while `create` is not measured on it).
   const dpp::test::Emulator& empty_emulator() const { return *empty_; }
   const dpp::test::Emulator& seeded_emulator() const { return *seeded_; }
   const dpp::test::SshdServer& sshd() const { return *sshd_; }

   // A machine folder holding the per-machine key pair and workspace host key the sshd knows
   // (what `create` would make; made ahead so that sshd can serve this host key).
   std::string new_machine_folder(const std::string& name) const;

   // The provider's environment for a machine against an emulator, as DevPod sets it.
   Environment provider_env(const dpp::test::Emulator& emulator, const std::string& machine_id,
                            const std::string& folder, const std::string& transport = "libssh2") const;
   std::vector<std::string> provider_argv(const std::string& verb) const;

   // `ssh … <command>` to the same sshd with the same key and pinned host key; `options` are
   // extra `-o`/`-c`/`-m` arguments (e.g. the cipher).
   std::vector<std::string> ssh_reference(const std::string& command,
                                          const std::vector<std::string>& options = {}) const;
   // `curl -s` of one request to an emulator with the API key (from a 0600 file, not argv).
   std::vector<std::string> curl_reference(const dpp::test::Emulator& emulator, const std::string& target) const;
   Environment plain_env() const;

   const std::string& client_key() const { return client_key_; }
   const std::string& scratch() const { return scratch_->path(); }

 private:
   WorldSettings settings_;
   std::unique_ptr<dpp::test::TempDir> scratch_;
   std::string client_key_, host_key_, known_hosts_, curl_headers_, cache_home_;
   std::unique_ptr<dpp::test::SshdServer> sshd_;
   std::unique_ptr<dpp::test::Emulator> workspace_, empty_, seeded_;
};

// The path of a program on PATH, or "" (for the reference clients).
std::string program_path(const std::string& name);

}  // namespace dpp::bench

// Starts the emulators and sshd and prepares keys, folders and reference commands.
#include "bench_world.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "support/child_process.hpp"

namespace dpp::bench {
namespace {

std::string read_all(const std::string& path) {
   std::ifstream in(path, std::ios::binary);
   if (!in) throw std::runtime_error("cannot read " + path);
   std::ostringstream text;
   text << in.rdbuf();
   return text.str();
}

void keygen(const std::string& file, const std::string& comment) {
   const Outcome made = run_measured(
       {.argv = {program_path("ssh-keygen"), "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", file},
        .env = {{"PATH", "/usr/bin:/bin"}}});
   require_success(made, "ssh-keygen");
}

void copy_private(const std::string& from, const std::string& to, unsigned mode) {
   std::ofstream out(to, std::ios::binary | std::ios::trunc);
   out << read_all(from);
   out.close();
   if (!out || ::chmod(to.c_str(), mode) != 0) throw std::runtime_error("cannot write " + to);
}

}  // namespace

std::string program_path(const std::string& name) {
   for (const char* folder : {"/usr/local/bin/", "/usr/bin/", "/bin/", "/usr/sbin/"}) {
      const std::string candidate = std::string(folder) + name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
   }
   return "";
}

BenchWorld::BenchWorld(WorldSettings settings) : settings_(std::move(settings)) {
   if (auto reason = dpp::test::SshdServer::unavailable()) throw std::runtime_error("no sshd: " + *reason);
   for (const char* needed : {"ssh", "ssh-keygen", "curl"})
      if (program_path(needed).empty()) throw std::runtime_error(std::string("missing program: ") + needed);
   scratch_ = std::make_unique<dpp::test::TempDir>("dpp-bench");
   ::mkdir(scratch_->file("keys").c_str(), 0700);
   client_key_ = scratch_->file("keys/id_ed25519");
   host_key_ = scratch_->file("keys/ssh_host_ed25519_key");
   keygen(client_key_, "dpp-bench-client");
   keygen(host_key_, "dpp-bench-workspace");
   const std::string host_public = read_all(host_key_ + ".pub");
   // The reference ssh pins the same host key the provider pins, under the address it dials.
   cache_home_ = scratch_->file("cache");
   ::mkdir(cache_home_.c_str(), 0700);

   dpp::test::SshdOptions sshd;
   sshd.user = "devpod";
   sshd.login_shell = "/bin/sh";
   sshd.authorized_keys = {read_all(client_key_ + ".pub")};
   sshd.host_key_file = host_key_;
   sshd.log_level = "INFO";  // the fixture waits for "Server listening on", an INFO line
   sshd_ = std::make_unique<dpp::test::SshdServer>(sshd);
   known_hosts_ = scratch_->write("keys/known_hosts", "[127.0.0.1]:" + std::to_string(sshd_->port()) + " " +
                                                          host_public);

   dpp::test::EmulatorOptions emulator;
   emulator.queue_delay_ms = settings_.emulator_delay_ms;
   emulator.deploy_duration_ms = settings_.emulator_delay_ms;
   workspace_ = std::make_unique<dpp::test::Emulator>(emulator);
   empty_ = std::make_unique<dpp::test::Emulator>(emulator);
   seeded_ = std::make_unique<dpp::test::Emulator>(emulator);
   if (settings_.seeded_services > 0) seeded_->seed(settings_.seeded_services);
   // One API key for all three, so that the provider's environment differs only in the URL.
   for (const auto* other : {empty_.get(), seeded_.get()})
      other->control("POST", "/__emulator/tokens", {{"token", workspace_->token()}});
   curl_headers_ = scratch_->write(
       "curl-headers", "x-api-key: " + workspace_->token() + "\nAccept: application/json\n", 0600);
}

BenchWorld::~BenchWorld() = default;

std::string BenchWorld::new_machine_folder(const std::string& name) const {
   const std::string folder = scratch_->file("machines/" + name);
   ::mkdir(scratch_->file("machines").c_str(), 0700);
   if (::mkdir(folder.c_str(), 0700) != 0) throw std::runtime_error("cannot make " + folder);
   copy_private(client_key_, folder + "/id_ed25519", 0600);
   copy_private(client_key_ + ".pub", folder + "/id_ed25519.pub", 0600);
   copy_private(host_key_, folder + "/ssh_host_ed25519_key", 0600);
   copy_private(host_key_ + ".pub", folder + "/ssh_host_ed25519_key.pub", 0600);
   return folder;
}

Environment BenchWorld::plain_env() const {
   Environment env;
   env["PATH"] = "/usr/local/bin:/usr/bin:/bin";
   env["HOME"] = scratch_->path();
   env["LANG"] = "C.UTF-8";
   return env;
}

Environment BenchWorld::provider_env(const dpp::test::Emulator& emulator, const std::string& machine_id,
                                     const std::string& folder, const std::string& transport) const {
   Environment env = plain_env();
   // The release bundle unpacks its plugins here on its first run; every measured run is warm.
   env["XDG_CACHE_HOME"] = cache_home_;
   env["DOKPLOY_SERVER_URL"] = emulator.url();
   env["DOKPLOY_API_TOKEN"] = workspace_->token();
   env["DOKPLOY_SSH_TRANSPORT"] = transport;
   env["DOKPLOY_SSH_USER"] = sshd_->user();
   // The one port sshd listens on: every workspace "created" is served by it, with the host key
   // the machine folders carry.
   env["DOKPLOY_SSH_PORT_RANGE"] = std::to_string(sshd_->port()) + "-" + std::to_string(sshd_->port());
   env["DOKPLOY_POLL_INTERVAL"] = "100ms";
   env["MACHINE_ID"] = machine_id;
   env["MACHINE_FOLDER"] = folder;
   return env;
}

std::vector<std::string> BenchWorld::provider_argv(const std::string& verb) const {
   return {settings_.provider, verb};
}

std::vector<std::string> BenchWorld::ssh_reference(const std::string& command,
                                                   const std::vector<std::string>& options) const {
   std::vector<std::string> argv = {program_path("ssh"),
                                    "-F",
                                    "none",
                                    "-T",
                                    "-i",
                                    client_key_,
                                    "-o",
                                    "IdentitiesOnly=yes",
                                    "-o",
                                    "IdentityAgent=none",
                                    "-o",
                                    "BatchMode=yes",
                                    "-o",
                                    "UserKnownHostsFile=" + known_hosts_,
                                    "-o",
                                    "GlobalKnownHostsFile=/dev/null",
                                    "-o",
                                    "StrictHostKeyChecking=yes",
                                    "-o",
                                    "UpdateHostKeys=no",
                                    "-p",
                                    std::to_string(sshd_->port()),
                                    "-l",
                                    sshd_->user()};
   argv.insert(argv.end(), options.begin(), options.end());
   argv.push_back(sshd_->address());
   argv.push_back(command);
   return argv;
}

std::vector<std::string> BenchWorld::curl_reference(const dpp::test::Emulator& emulator,
                                                    const std::string& target) const {
   return {program_path("curl"), "-s", "-H", "@" + curl_headers_, emulator.url() + target};
}

}  // namespace dpp::bench

// OpenSSH tunnelled through a transport, as DevPod's IDE tunnel does: `ssh -o ProxyCommand=…`
// where the proxy is `command` joined to ssh's pipes, reaching an `sshd -i` that COMMAND starts
// inside a real workspace. Every byte of the inner SSH session crosses the transport.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>

#include "runner_workspace.hpp"
#include "support/child_process.hpp"
#include "support/test_paths.hpp"
#include "test_credentials.hpp"

namespace dpp::test {
namespace {

std::string random_data(std::size_t size) {
   std::mt19937_64 generator(11);
   std::string data(size, '\0');
   for (std::size_t i = 0; i + 8 <= size; i += 8) {
      const uint64_t value = generator();
      std::memcpy(&data[i], &value, 8);
   }
   return data;
}

class TunnelTest : public ::testing::TestWithParam<std::string> {};

TEST_P(TunnelTest, OpenSshThroughTheTransportReachesSshdInTheWorkspace) {
   if (auto reason = RunnerWorkspace::unavailable()) DPP_SKIP(*reason);
   TempDir dir("dpp-tunnel");
   const TestKeyPair host_key = make_key_pair(dir, "ssh_host_ed25519_key");
   const TestKeyPair client_key = make_key_pair(dir, "id_ed25519");
   BootstrapEnv env;
   env.authorized_key = client_key.public_line;
   env.host_key_file = host_key.private_file;
   RunnerWorkspace workspace("debian:bookworm", env);

   // What DevPod's `devpod helper ssh-server --stdio` is to the IDE, sshd in inetd mode is here:
   // an SSH server on the command's stdin/stdout, with the workspace's own config and key.
   const std::string command_file = dir.write(
       "command", "exec sudo -n /usr/sbin/sshd -i -f /etc/ssh/dokploy-provider/sshd_config\n", 0600);
   const std::string pinned_file = dir.write("pinned", host_key.public_line + "\n", 0600);
   const std::string known_hosts = dir.write("known_hosts", "workspace " + host_key.public_line + "\n", 0600);
   const std::string proxy = std::string(DPP_TRANSPORT_PIPE) + " --plugin " + GetParam() +
                             " --host 127.0.0.1 --port " + std::to_string(workspace.port()) +
                             " --user devpod --host-key-file " + pinned_file + " --key-file " +
                             client_key.private_file + " --command-file " + command_file;
   const std::string data = random_data(4u << 20);
   ProcessOptions ssh;
   ssh.argv = {"/usr/bin/ssh", "-F",
               "none",         "-T",
               "-o",           "ProxyCommand=" + proxy,
               "-o",           "HostKeyAlias=workspace",
               "-o",           "UserKnownHostsFile=" + known_hosts,
               "-o",           "StrictHostKeyChecking=yes",
               "-o",           "BatchMode=yes",
               "-o",           "IdentitiesOnly=yes",
               "-o",           "IdentityAgent=none",
               "-i",           client_key.private_file,
               "-l",           "devpod",
               "workspace",    "echo tunnelled; id -un; cat"};
   ssh.stdin_data = data;
   const auto started = std::chrono::steady_clock::now();
   const ProcessResult result = run_process(ssh, std::chrono::minutes(10));
   const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
   ASSERT_EQ(result.exit_code, 0) << result.err << "\nworkspace log:\n" << workspace.log();
   const std::string header = "tunnelled\ndevpod\n";
   ASSERT_EQ(result.out.substr(0, header.size()), header) << result.err;
   EXPECT_TRUE(result.out.substr(header.size()) == data)
       << "the 4 MiB through the tunnel differ (" << result.out.size() - header.size() << " bytes back)";
   std::printf("[tunnel] %s: ssh through the transport, login and 4 MiB each way in %.2f s\n",
               GetParam().c_str(), seconds);
}

INSTANTIATE_TEST_SUITE_P(Transports, TunnelTest, ::testing::Values("libssh2", "system"),
                         [](const ::testing::TestParamInfo<std::string>& transport) {
                            return transport.param;
                         });

}  // namespace
}  // namespace dpp::test

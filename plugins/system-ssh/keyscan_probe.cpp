// The system transport's probe through ssh-keyscan.
#include "keyscan_probe.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <sstream>
#include <vector>

#include "child_process.hpp"
#include "common/ssh_public_key.hpp"
#include "common/ssh_tcp.hpp"
#include "private_files.hpp"

namespace dpp::plugins::system_ssh {
namespace {

using Clock = std::chrono::steady_clock;

struct Scan {
   std::vector<SshPublicKey> keys;
   bool banner = false;  // an SSH server answered
};

// Runs ssh-keyscan (all default key types when `type` is empty) and parses what it printed.
Scan scan(const std::string& keyscan, const sdk::SshTarget& target, const std::string& type, int timeout_s,
          const SshCanceller& canceller, const sdk::Host& host) {
   RunFiles files;
   const std::string out_path = files.write("keys", "");
   const std::string err_path = files.write("errors", "");
   const int out = ::open(out_path.c_str(), O_WRONLY | O_CLOEXEC);
   const int err = ::open(err_path.c_str(), O_WRONLY | O_CLOEXEC);
   const int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
   ChildSpec spec;
   spec.argv = {keyscan, "-T", std::to_string(timeout_s), "-p", std::to_string(target.port)};
   if (!type.empty()) spec.argv.insert(spec.argv.end(), {"-t", type});
   spec.argv.insert(spec.argv.end(), {"--", target.host});
   spec.env = minimal_environment();
   spec.stdin_fd = in;
   spec.stdout_fd = out;
   spec.stderr_fd = err;
   int code = 0;
   {
      Child child(spec);
      for (int fd : {in, out, err}) ::close(fd);
      code = child.wait(canceller, host);
   }
   Scan result;
   std::istringstream lines(files.read("keys"));
   std::string line;
   while (std::getline(lines, line)) {
      if (line.empty() || line[0] == '#') continue;
      // "<host> <type> <base64>": drop the host field.
      const auto space = line.find(' ');
      if (space == std::string::npos) continue;
      try {
         result.keys.push_back(parse_ssh_public_key(line.substr(space + 1)));
      } catch (const sdk::Error&) {
      }
   }
   result.banner = files.read("errors").find(" SSH-") != std::string::npos || !result.keys.empty();
   host.debug("ssh-keyscan of ", ssh_endpoint_name(target.host, target.port), " exited with ", code, ": ",
              result.keys.size(), " keys");
   return result;
}

}  // namespace

void keyscan_probe(const std::string& keyscan, const sdk::SshTarget& target, uint32_t timeout_ms,
                   const SshCanceller& canceller, const sdk::Host& host) {
   if (keyscan.empty())
      throw sdk::Error(
          DPP_E_CONFIG,
          "the system transport needs ssh-keyscan to probe SSH endpoints (Debian package openssh-client)");
   const SshPublicKey pinned = parse_ssh_public_key(target.host_key);
   const std::string endpoint = ssh_endpoint_name(target.host, target.port);
   const auto started = Clock::now();
   const auto deadline = started + std::chrono::milliseconds(timeout_ms);
   // Our own connect tells "refused" from "nothing answers", which ssh-keyscan does not say.
   ssh_tcp_connect(target.host, target.port, deadline, canceller, host).reset();
   const auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline - Clock::now()).count();
   const int timeout_s = static_cast<int>(std::max<long long>(1, left));

   Scan found = scan(keyscan, target, pinned.type, timeout_s, canceller, host);
   for (const auto& key : found.keys)
      if (key.blob == pinned.blob) return;
   if (found.keys.empty()) found = scan(keyscan, target, "", timeout_s, canceller, host);
   if (found.keys.empty()) {
      if (Clock::now() >= deadline)
         throw sdk::Error(DPP_E_TIMEOUT, "no SSH key exchange with " + endpoint + " within " +
                                             std::to_string(timeout_ms) + " ms");
      throw sdk::Error(DPP_E_PROTOCOL, found.banner
                                           ? endpoint + " answered as an SSH server but offered no host key"
                                           : "no SSH server answered at " + endpoint);
   }
   std::string presented;
   for (const auto& key : found.keys) {
      if (key.blob == pinned.blob) return;
      presented += (presented.empty() ? "" : ", ") + key.fingerprint() + " (" + key.type + ")";
   }
   throw sdk::Error(DPP_E_HOST_KEY_MISMATCH,
                    "host key mismatch at " + endpoint + ": expected " + pinned.fingerprint() + " (" +
                        pinned.type + ", pinned for this workspace) but the server presented " + presented);
}

}  // namespace dpp::plugins::system_ssh

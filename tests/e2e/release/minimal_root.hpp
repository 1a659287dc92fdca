// A minimal Debian root filesystem (tests/e2e/release/minimal-rootfs.sh) to run the release
// bundle in with chroot: each run mounts an overlay (the cached rootfs read-only below, this
// fixture's own writable layer above) and /proc in a private mount namespace, so nothing outside
// changes and everything goes with the namespace. The network is the host's: a server on the
// host's loopback (the Dokploy emulator) is reachable from inside. Root only.
#pragma once

#include <string>
#include <vector>

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

namespace dpp::test {

// The cached minimal rootfs, built first when needed; throws with the builder's log on failure.
std::string minimal_rootfs();

class MinimalRoot {
 public:
   explicit MinimalRoot(std::string lower);

   // Copies `source` to `path` inside the root (mode `mode`), creating its folders.
   void install(const std::string& source, const std::string& path, unsigned mode) const;
   void make_folder(const std::string& path) const;
   // Runs `argv` inside the root as root with exactly `env` (env -i) and returns its result.
   ProcessResult run(const std::vector<std::string>& argv, const EnvMap& env) const;
   // Whether `path` exists inside the root, as seen from inside.
   bool exists(const std::string& path) const;

 private:
   std::string upper(const std::string& path) const { return dir_.path() + "/upper" + path; }

   std::string lower_;
   TempDir dir_{"dpp-minimal-root"};
};

}  // namespace dpp::test

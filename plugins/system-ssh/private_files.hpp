// Private files of the system transport: a per-user 0700 folder (verified, never a symlink,
// short enough for ssh's control sockets) and per-run files in it (known_hosts with the pinned
// key, ssh's log), 0600 and removed when the run ends.
#pragma once

#include <string>

namespace dpp::plugins::system_ssh {

// "$XDG_RUNTIME_DIR/dokploy-provider" when usable, else "/tmp/dpp-<uid>": created 0700 when
// missing; refused (sdk::Error DPP_E_IO) when it is a symlink, not a folder, or belongs to
// someone else; tightened to 0700 when it is ours with looser modes.
std::string private_folder();

// A fresh 0700 folder inside private_folder() with the files of one run; everything in it is
// removed by the destructor. Creating one also removes the folders of runs whose process is gone.
class RunFiles {
 public:
   RunFiles();
   ~RunFiles();
   RunFiles(const RunFiles&) = delete;
   RunFiles& operator=(const RunFiles&) = delete;

   const std::string& folder() const { return folder_; }
   // Writes `name` (mode 0600, refusing to follow or replace anything) and returns its path.
   std::string write(const std::string& name, const std::string& content) const;
   // The path `name` would have (for files other programs create, like ssh's log).
   std::string path(const std::string& name) const { return folder_ + "/" + name; }
   // The whole content of `name`, or "" when it does not exist.
   std::string read(const std::string& name) const;

 private:
   std::string folder_;
};

}  // namespace dpp::plugins::system_ssh

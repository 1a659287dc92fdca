// The one versioned state file of a machine, in MACHINE_FOLDER: which plugins made it, its SSH
// endpoint (so that `command` needs no API request), and each plugin's private key-values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace dpp::core {

struct Endpoint {
   std::string host;
   uint16_t port = 0;
   std::string user;
   std::string host_key;  // OpenSSH public key line
   bool known() const { return !host.empty() && port != 0; }
};

// A create that did not finish: DevPod then still has the machine, and may run `command` on it.
struct FailedCreate {
   int64_t at_ms = 0;   // when it failed (ms since the epoch)
   std::string reason;  // its error, one line
};

class MachineState {
 public:
   static constexpr int kFormatVersion = 1;
   static constexpr const char* kFileName = "dokploy-provider-state.json";
   static constexpr std::size_t kMaxFileBytes = 1 << 20;

   MachineState(std::string folder, std::string machine_id);

   // Reads the file. A missing file gives an empty state. A corrupt one (bad JSON, wrong shape,
   // another machine's) also gives an empty state and sets corruption() to the reason, so the
   // caller can warn and recover by looking the workspace up. A symlink, or a file of a newer
   // format, throws ProviderError: those are not ours to overwrite.
   void load();
   // Writes the file atomically (0600, in a 0700 folder).
   void save() const;
   // Removes the file (delete).
   void remove() const;

   const std::string& path() const { return path_; }
   const std::string& folder() const { return folder_; }
   const std::string& machine_id() const { return machine_id_; }
   bool existed() const { return existed_; }
   const std::optional<std::string>& corruption() const { return corruption_; }

   // Plugin private values (dpp_host.state_get/state_set).
   std::optional<std::string> plugin_value(const std::string& plugin, const std::string& key) const;
   void set_plugin_value(const std::string& plugin, const std::string& key,
                         const std::optional<std::string>& value);

   Endpoint endpoint;
   std::string backend_id;
   std::string transport_id;
   std::string auth_id;
   // When status first found the platform running but the endpoint silent (ms since epoch).
   std::optional<int64_t> unreachable_since_ms;
   // Set when the last create failed, cleared when a create or start succeeds.
   std::optional<FailedCreate> failed_create;

   // The serialized form (for tests and fuzzing).
   std::string serialize() const;
   // Parses `text` into this state; returns the reason when it is unusable.
   std::optional<std::string> parse(const std::string& text);

 private:
   std::string folder_;
   std::string machine_id_;
   std::string path_;
   bool existed_ = false;
   std::optional<std::string> corruption_;
   std::map<std::string, std::map<std::string, std::string>> plugin_values_;
};

}  // namespace dpp::core

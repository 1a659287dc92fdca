// A DevPod provider.yaml as DevPod reads it: the parsed definition, DevPod's option resolution
// (user values, defaults with ${VAR} expansion, required options) and the dev variant of the file.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dpp::test::devpod {

struct ProviderOption {
   std::string name;
   std::string description;
   std::optional<std::string> default_value;  // absent and "" are the same to DevPod
   std::string command;
   std::string type;  // "" means string
   std::string validation_pattern;
   std::string validation_message;
   std::vector<std::string> enum_values;
   std::vector<std::string> suggestions;
   bool required = false;
   bool password = false;
   bool local = false;
   bool global = false;
   bool hidden = false;
};

struct OptionGroup {
   std::string name;
   std::vector<std::string> options;
   bool default_visible = false;
};

struct ProviderBinary {
   std::string os, arch, path, checksum, archive_path, name;
};

struct AgentConfig {
   std::string path, data_path, inactivity_timeout, inject_git_credentials, inject_docker_credentials;
   std::optional<std::string> shutdown;  // agent.exec.shutdown, as written (one string)
};

struct ProviderDefinition {
   std::string name;
   std::string version;
   std::string description;
   std::vector<ProviderOption> options;  // in file order
   std::vector<OptionGroup> option_groups;
   std::map<std::string, std::vector<ProviderBinary>> binaries;
   // exec.<verb> → the entry; DevPod runs a single string through its shell. A YAML list is
   // recorded joined by spaces with `exec_is_list` set (DevPod would exec it without a shell).
   std::map<std::string, std::string> exec;
   std::map<std::string, bool> exec_is_list;
   AgentConfig agent;

   const ProviderOption* option(const std::string& name) const;

   // Parses the text of a provider.yaml; throws std::runtime_error naming what is wrong.
   static ProviderDefinition parse(const std::string& yaml_text);
   static ProviderDefinition load(const std::string& path);
};

// DevPod's ${VAR} / $VAR / ${VAR:-x} expansion of option defaults and agent fields
// (pkg/options/resolve.go resolveDefaultValue): a known name is replaced by its value, anything
// else is left as written.
std::string expand_variables(const std::string& text, const std::map<std::string, std::string>& values);
// The names a default refers to (FindVariables).
std::vector<std::string> find_variables(const std::string& text);

// Resolves every option as `devpod provider add/set-options` does: the user's value (checked
// against validationPattern, enum and type like DevPod's ParseOptions), else the default with
// ${VAR} expansion in dependency order, else the output of `command`, else "". Every option
// gets a value (possibly empty). Throws std::runtime_error with DevPod's message on a bad value
// or a missing required option.
std::map<std::string, std::string> resolve_options(
    const ProviderDefinition& provider, const std::map<std::string, std::string>& user_values,
    const std::map<std::string, std::string>& extra_values = {});

// Checks a user value as DevPod's ParseOptions does; returns the error message, or "" when fine.
std::string check_user_value(const ProviderOption& option, const std::string& value);

// The provider.yaml text with its `binaries:` replaced by one KEY whose entries point at the
// local absolute `binary_path` (no checksum), as the dev variant does.
std::string make_dev_variant(const std::string& yaml_text, const std::string& binary_path,
                             const std::string& key = "DOKPLOY_PROVIDER");

// The dev provider.yaml for this build: build/<preset>/provider-dev.yaml when the build wrote
// one, else a variant made from the top-level provider.yaml pointing at `provider_binary`,
// written into `scratch_dir`. Returns its path.
std::string dev_provider_yaml(const std::string& provider_binary, const std::string& scratch_dir);

// DevPod's names for this machine (runtime.GOOS / runtime.GOARCH).
std::string devpod_os();
std::string devpod_arch();

}  // namespace dpp::test::devpod

// What the hostile-value tests share: the classes of hostile values, and running the real
// dokploy-provider against the Dokploy emulator with a clean DevPod-like environment.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "support/child_process.hpp"
#include "support/emulator.hpp"
#include "support/temp_dir.hpp"

namespace dpp::test::hostile {

// One hostile value. `@CANARY@` in it stands for a file path that must never come to exist (a
// value that would run `touch @CANARY@` if anything interpreted it).
struct HostileValue {
   std::string kind;  // "shell", "quotes", "substitution", "newline", "variable", "yaml", "size",
                      // "utf8", "control"
   std::string name;  // for test names: [A-Za-z0-9_]
   std::string value;
   // Whether an environment variable can carry it (no NUL; at most 128 KiB, the kernel's
   // MAX_ARG_STRLEN for one environment string).
   bool env_capable = true;
};

// Every class of input an attacker controls through an option (SECURITY.md, "Bad input and broken
// plugins"): shell metacharacters, quotes, $(…), backticks, newlines, ${VAR}, YAML specials, long
// strings, invalid UTF-8, control bytes.
std::vector<HostileValue> hostile_values();

// The kinds of hostile_values(), in order (one test each: a test runs every value of its kind).
std::vector<std::string> hostile_kinds();

// The values of one kind.
std::vector<HostileValue> hostile_values_of(const std::string& kind);

// The kinds with at least one value that `applies`: a test instantiated with these checks
// something in every instance, where the other kinds would only say SKIPPED.
std::vector<std::string> hostile_kinds_where(bool (*applies)(const HostileValue&));

// Whether an environment variable can carry the value (the rest go through --config).
inline bool env_capable(const HostileValue& hostile) {
   return hostile.env_capable;
}

// A test instance's name: its kind.
inline std::string kind_name(const ::testing::TestParamInfo<std::string>& test_info) {
   return test_info.param;
}

// `text` with @CANARY@ replaced by `canary`.
std::string with_canary(const std::string& text, const std::string& canary);

// True when a string option (any printable UTF-8 up to 4096 bytes) accepts it.
bool accepted_as_text(const std::string& value);

// The environment DevPod gives the provider, without anything of the test's own DOKPLOY_*,
// DEVPOD*, MACHINE_* or COMMAND.
EnvMap clean_environment();

// Runs the provider with `env` (whole) and `args`; also checks that it was not killed by a signal
// and that no sanitizer spoke.
ProcessResult run_provider(const std::vector<std::string>& args, const EnvMap& env,
                           const std::optional<std::string>& stdin_data = std::nullopt);

// The bootstrap script as the source tree has it (what every workspace must run, unchanged).
std::string bootstrap_script();

// The workspace specs the emulator made from what the provider stored (after Compose's
// interpolation): key -> spec.
std::map<std::string, nlohmann::json> workspace_specs(const Emulator& emulator);

// True when `text` has a raw control byte other than '\n' and '\t' (terminal escapes, CR, BEL).
bool has_raw_control_bytes(const std::string& text);

bool file_exists(const std::string& path);

}  // namespace dpp::test::hostile

// Runs commands in an overlay of the cached minimal rootfs with unshare + chroot (minimal_root.hpp).
#include "minimal_root.hpp"

#include <filesystem>
#include <stdexcept>

#include "support/test_paths.hpp"

namespace dpp::test {
namespace fs = std::filesystem;

std::string minimal_rootfs() {
   ProcessOptions options;
   options.argv = {"/bin/sh", source_dir() + "/tests/e2e/release/minimal-rootfs.sh", "bookworm"};
   const ProcessResult result = run_process(options, std::chrono::minutes(15));
   if (result.exit_code != 0 || result.out.empty())
      throw std::runtime_error("cannot build the minimal rootfs (exit " + std::to_string(result.exit_code) +
                               "):\n" + result.err);
   return result.out.substr(0, result.out.find('\n'));
}

MinimalRoot::MinimalRoot(std::string lower) : lower_(std::move(lower)) {
   for (const char* sub : {"upper", "work", "merged"}) fs::create_directories(dir_.path() + "/" + sub);
   fs::permissions(dir_.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                    fs::perms::others_read | fs::perms::others_exec);
}

void MinimalRoot::make_folder(const std::string& path) const {
   fs::create_directories(upper(path));
}

void MinimalRoot::install(const std::string& source, const std::string& path, unsigned mode) const {
   make_folder(fs::path(path).parent_path());
   fs::copy_file(source, upper(path), fs::copy_options::overwrite_existing);
   fs::permissions(upper(path), static_cast<fs::perms>(mode));
}

ProcessResult MinimalRoot::run(const std::vector<std::string>& argv, const EnvMap& env) const {
   ProcessOptions options;
   options.env = EnvMap{{"PATH", "/usr/sbin:/usr/bin:/sbin:/bin"}, {"LC_ALL", "C"}};
   options.argv = {"/usr/bin/unshare",
                   "--mount",
                   "--propagation",
                   "private",
                   "--fork",
                   "--kill-child",
                   "--",
                   "sh",
                   "-c",
                   "set -e; mount -t overlay overlay -o \"lowerdir=$1,upperdir=$2,workdir=$3\" \"$4\"; "
                   "mount -t proc proc \"$4/proc\"; root=$4; shift 4; exec chroot \"$root\" \"$@\"",
                   "sh",
                   lower_,
                   dir_.path() + "/upper",
                   dir_.path() + "/work",
                   dir_.path() + "/merged",
                   "/usr/bin/env",
                   "-i"};
   for (const auto& [name, value] : env) options.argv.push_back(name + "=" + value);
   options.argv.insert(options.argv.end(), argv.begin(), argv.end());
   return run_process(options, std::chrono::minutes(3));
}

bool MinimalRoot::exists(const std::string& path) const {
   return run({"/bin/sh", "-c", "test -e \"$1\"", "sh", path}, {}).exit_code == 0;
}

}  // namespace dpp::test

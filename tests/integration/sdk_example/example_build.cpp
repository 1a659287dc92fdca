// Installs the SDK and builds the example plugin out of tree.
#include "example_build.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <vector>

#include "support/child_process.hpp"
#include "support/test_paths.hpp"

namespace dpp::test::sdk_example {
namespace {

namespace fs = std::filesystem;

// Runs a command, appending it and its output to `log`; true when it exited 0.
bool step(const std::vector<std::string>& argv, std::string& log) {
   ProcessOptions options;
   options.argv = argv;
   log += "$";
   for (const auto& arg : argv) log += " " + arg;
   log += "\n";
   const ProcessResult result = run_process(options, std::chrono::minutes(15));
   log += result.out + result.err;
   if (result.exit_code != 0) log += "(exit code " + std::to_string(result.exit_code) + ")\n";
   return result.exit_code == 0;
}

// Holds an exclusive flock on a file for its lifetime.
class FileLock {
 public:
   explicit FileLock(const std::string& path)
       : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
      if (fd_ >= 0)
         while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
         }
   }
   ~FileLock() {
      if (fd_ >= 0) ::close(fd_);
   }
   FileLock(const FileLock&) = delete;
   FileLock& operator=(const FileLock&) = delete;

 private:
   int fd_;
};

// What differs between the examples: their folder, plugin id and configure options.
struct Example {
   std::string folder;  // under sdk/examples
   std::string id;
   std::vector<std::string> options;
};

ExampleBuild build(const Example& example) {
   ExampleBuild result;
   const std::string work = work_folder();
   fs::create_directories(work);
   FileLock lock(work + "/.lock");
   result.sdk_prefix = work + "/sdk-prefix";
   if (std::string error = install_sdk(result.sdk_prefix); !error.empty()) {
      result.error = error;
      return result;
   }
   const std::string build_dir = work + "/" + example.folder + "-build";
   const std::string install_dir = work + "/" + example.folder + "-install";
   std::string log;
   // Only the installed SDK may be found: no package registry, no system copy.
   std::vector<std::string> configure = {DPP_CMAKE_COMMAND,
                                         "-S",
                                         source_dir() + "/sdk/examples/" + example.folder,
                                         "-B",
                                         build_dir,
                                         "-DCMAKE_BUILD_TYPE=RelWithDebInfo",
                                         "-DCMAKE_PREFIX_PATH=" + result.sdk_prefix,
                                         "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF",
                                         "-DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF"};
   configure.insert(configure.end(), example.options.begin(), example.options.end());
   const bool ok = step(configure, log) && step({DPP_CMAKE_COMMAND, "--build", build_dir, "-j2"}, log) &&
                   step({DPP_CMAKE_COMMAND, "--install", build_dir, "--prefix", install_dir}, log);
   if (!ok) {
      result.error = "the out-of-tree build of sdk/examples/" + example.folder + " failed:\n" + log;
      return result;
   }
   std::ifstream cache(build_dir + "/CMakeCache.txt");
   const std::regex sdk_dir("^DokployProviderSDK_DIR:PATH=(.*)$");
   for (std::string line; std::getline(cache, line);)
      if (std::smatch match; std::regex_match(line, match, sdk_dir)) result.sdk_dir_used = match[1];
   const std::string file_name = "dpp-" + example.id + ".so";
   for (const char* libdir : {"lib", "lib64", "lib/x86_64-linux-gnu", "lib/aarch64-linux-gnu"}) {
      const std::string folder = install_dir + "/" + libdir + "/dokploy-provider/plugins";
      if (fs::exists(folder + "/" + file_name)) {
         result.plugin_folder = folder;
         result.plugin_file = folder + "/" + file_name;
      }
   }
   if (result.plugin_file.empty())
      result.error = "the example's install put no " + file_name + " under " + install_dir + "\n" + log;
   return result;
}

}  // namespace

std::vector<std::string> exported_symbols(const std::string& plugin_file) {
   ProcessOptions nm;
   nm.argv = {"/usr/bin/nm", "-D", "--defined-only", plugin_file};
   const ProcessResult result = run_process(nm);
   std::vector<std::string> symbols;
   if (result.exit_code != 0) return {"(nm failed: " + result.err + ")"};
   std::istringstream lines(result.out);
   for (std::string line; std::getline(lines, line);) {
      const std::string name = line.substr(line.rfind(' ') + 1);
      // The linker's own markers are not code the plugin exports.
      if (name != "_init" && name != "_fini" && !name.empty()) symbols.push_back(name);
   }
   return symbols;
}

std::string work_folder() {
   return DPP_SDK_EXAMPLE_WORK_DIR;
}

std::string install_sdk(const std::string& prefix) {
   std::string log;
   if (!step({DPP_CMAKE_COMMAND, "--install", binary_dir(), "--prefix", prefix, "--component", "sdk"}, log))
      return "cmake --install of the SDK failed:\n" + log;
   return "";
}

const ExampleBuild& example_build() {
   static const ExampleBuild result =
       build({"ssh-machine",
              "org.example.ssh-machine",
              {"-DCMAKE_CXX_COMPILER=" DPP_CXX_COMPILER, "-DSSH_MACHINE_WERROR=ON"}});
   return result;
}

const ExampleBuild& c_example_build() {
   // A C project: only a C compiler is asked for, as a C author's machine may have no other.
   static const ExampleBuild result = build({"keyfile-auth",
                                             "org.example.keyfile",
                                             {"-DCMAKE_C_COMPILER=" DPP_C_COMPILER, "-DKEYFILE_WERROR=ON"}});
   return result;
}

}  // namespace dpp::test::sdk_example

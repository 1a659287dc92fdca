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

ExampleBuild build() {
   ExampleBuild result;
   const std::string work = work_folder();
   fs::create_directories(work);
   FileLock lock(work + "/.lock");
   result.sdk_prefix = work + "/sdk-prefix";
   if (std::string error = install_sdk(result.sdk_prefix); !error.empty()) {
      result.error = error;
      return result;
   }
   const std::string build_dir = work + "/ssh-machine-build";
   const std::string install_dir = work + "/ssh-machine-install";
   std::string log;
   // Only the installed SDK may be found: no package registry, no system copy.
   const bool ok = step({DPP_CMAKE_COMMAND, "-S", source_dir() + "/sdk/examples/ssh-machine", "-B", build_dir,
                         "-DCMAKE_BUILD_TYPE=RelWithDebInfo", "-DCMAKE_CXX_COMPILER=" DPP_CXX_COMPILER,
                         "-DCMAKE_PREFIX_PATH=" + result.sdk_prefix, "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF",
                         "-DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF", "-DSSH_MACHINE_WERROR=ON"},
                        log) &&
                   step({DPP_CMAKE_COMMAND, "--build", build_dir, "-j2"}, log) &&
                   step({DPP_CMAKE_COMMAND, "--install", build_dir, "--prefix", install_dir}, log);
   if (!ok) {
      result.error = "the out-of-tree build of the example failed:\n" + log;
      return result;
   }
   std::ifstream cache(build_dir + "/CMakeCache.txt");
   const std::regex sdk_dir("^DokployProviderSDK_DIR:PATH=(.*)$");
   for (std::string line; std::getline(cache, line);)
      if (std::smatch match; std::regex_match(line, match, sdk_dir)) result.sdk_dir_used = match[1];
   for (const char* libdir : {"lib", "lib64", "lib/x86_64-linux-gnu", "lib/aarch64-linux-gnu"}) {
      const std::string folder = install_dir + "/" + libdir + "/dokploy-provider/plugins";
      if (fs::exists(folder + "/dpp-org.example.ssh-machine.so")) {
         result.plugin_folder = folder;
         result.plugin_file = folder + "/dpp-org.example.ssh-machine.so";
      }
   }
   if (result.plugin_file.empty())
      result.error =
          "the example's install put no dpp-org.example.ssh-machine.so under " + install_dir + "\n" + log;
   return result;
}

}  // namespace

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
   static const ExampleBuild result = build();
   return result;
}

}  // namespace dpp::test::sdk_example

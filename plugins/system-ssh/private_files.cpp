// The system transport's private folder and per-run files.
#include "private_files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dpp/cpp/plugin.hpp>
#include <vector>

namespace dpp::plugins::system_ssh {
namespace {

// ssh appends ".XXXXXXXXXXXXXXXX" to a control socket path while creating it and a socket path
// may hold 107 bytes: keep our folder short enough for "<folder>/cm-<16 hex>" plus that.
constexpr std::size_t kMaxFolderLength = 64;

[[noreturn]] void refuse(const std::string& folder, const std::string& why) {
   throw sdk::Error(DPP_E_IO, "the private folder " + folder + " " + why +
                                  "; remove it or set XDG_RUNTIME_DIR to a folder of yours");
}

void ensure_private(const std::string& folder) {
   if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST)
      throw sdk::Error(DPP_E_IO, "cannot create " + folder + ": " + std::strerror(errno));
   struct stat info {};
   if (::lstat(folder.c_str(), &info) != 0)
      throw sdk::Error(DPP_E_IO, "cannot inspect " + folder + ": " + std::strerror(errno));
   if (S_ISLNK(info.st_mode)) refuse(folder, "is a symbolic link");
   if (!S_ISDIR(info.st_mode)) refuse(folder, "is not a folder");
   if (info.st_uid != ::geteuid()) refuse(folder, "belongs to uid " + std::to_string(info.st_uid));
   if ((info.st_mode & 077) != 0 && ::chmod(folder.c_str(), 0700) != 0)
      refuse(folder, "is accessible by others and cannot be made private");
}

bool usable_runtime_dir(const char* value) {
   if (!value || value[0] != '/') return false;
   struct stat info {};
   return ::stat(value, &info) == 0 && S_ISDIR(info.st_mode) && info.st_uid == ::geteuid() &&
          std::strlen(value) + std::strlen("/dokploy-provider") <= kMaxFolderLength;
}

}  // namespace

std::string private_folder() {
   const char* runtime = std::getenv("XDG_RUNTIME_DIR");
   const std::string folder = usable_runtime_dir(runtime) ? std::string(runtime) + "/dokploy-provider"
                                                          : "/tmp/dpp-" + std::to_string(::geteuid());
   ensure_private(folder);
   return folder;
}

// Removes the run folders of processes that are gone: a host killed outright (SIGKILL) cannot
// clean up after itself. Folders are named run-<pid>-XXXXXX; a live owner keeps its folder.
static void remove_orphaned_runs(const std::string& base) {
   DIR* dir = ::opendir(base.c_str());
   if (!dir) return;
   while (dirent* entry = ::readdir(dir)) {
      const std::string name = entry->d_name;
      if (name.rfind("run-", 0) != 0) continue;
      const long owner = std::strtol(name.c_str() + 4, nullptr, 10);
      if (owner <= 0 || ::kill(static_cast<pid_t>(owner), 0) == 0 || errno != ESRCH) continue;
      const std::string folder = base + "/" + name;
      if (DIR* files = ::opendir(folder.c_str())) {
         while (dirent* file = ::readdir(files)) {
            const std::string file_name = file->d_name;
            if (file_name != "." && file_name != "..") ::unlink((folder + "/" + file_name).c_str());
         }
         ::closedir(files);
      }
      ::rmdir(folder.c_str());
   }
   ::closedir(dir);
}

RunFiles::RunFiles() {
   const std::string base = private_folder();
   remove_orphaned_runs(base);
   std::string pattern = base + "/run-" + std::to_string(::getpid()) + "-XXXXXX";
   std::vector<char> buffer(pattern.begin(), pattern.end());
   buffer.push_back('\0');
   if (!::mkdtemp(buffer.data()))
      throw sdk::Error(DPP_E_IO,
                       "cannot create a folder in " + private_folder() + ": " + std::strerror(errno));
   folder_ = buffer.data();
}

RunFiles::~RunFiles() {
   if (DIR* dir = ::opendir(folder_.c_str())) {
      while (dirent* entry = ::readdir(dir)) {
         const std::string name = entry->d_name;
         if (name != "." && name != "..") ::unlink(path(name).c_str());
      }
      ::closedir(dir);
   }
   ::rmdir(folder_.c_str());
}

std::string RunFiles::write(const std::string& name, const std::string& content) const {
   const std::string file = path(name);
   const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
   if (fd < 0) throw sdk::Error(DPP_E_IO, "cannot create " + file + ": " + std::strerror(errno));
   std::size_t done = 0;
   while (done < content.size()) {
      const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
         const int error = errno;
         ::close(fd);
         throw sdk::Error(DPP_E_IO, "cannot write " + file + ": " + std::strerror(error));
      }
      done += static_cast<std::size_t>(n);
   }
   ::close(fd);
   return file;
}

std::string RunFiles::read(const std::string& name) const {
   const int fd = ::open(path(name).c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
   if (fd < 0) return "";
   std::string content;
   char buffer[8192];
   ssize_t n;
   while ((n = ::read(fd, buffer, sizeof buffer)) > 0) content.append(buffer, static_cast<std::size_t>(n));
   ::close(fd);
   return content;
}

}  // namespace dpp::plugins::system_ssh

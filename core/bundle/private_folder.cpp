// Private folders for the bundle cache, handled through descriptors with O_NOFOLLOW.
#include "bundle/private_folder.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace dpp::core::bundle {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void fail(const std::string& what, const fs::path& path, int code) {
   throw std::runtime_error(what + " " + path.string() + ": " + std::strerror(code));
}

void check_private(int fd, const fs::path& path) {
   struct stat info {};
   if (::fstat(fd, &info) != 0) fail("cannot inspect", path, errno);
   if (info.st_uid != ::geteuid())
      throw std::runtime_error(path.string() + " belongs to another user (uid " +
                               std::to_string(info.st_uid) + "); it cannot hold this program's plugins");
   if ((info.st_mode & 077) != 0 && ::fchmod(fd, 0700) != 0) fail("cannot make private (0700)", path, errno);
}

}  // namespace

UniqueFd open_private_folder(const fs::path& path) {
   if (!path.is_absolute()) throw std::runtime_error(path.string() + " is not an absolute path");
   fs::path built = path.root_path();
   for (const auto& part : path.relative_path()) {
      built /= part;
      if (::mkdir(built.c_str(), 0700) != 0 && errno != EEXIST)
         fail("cannot create the folder", built, errno);
   }
   UniqueFd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
   if (!fd) {
      if (errno == ELOOP || errno == ENOTDIR)
         throw std::runtime_error(path.string() + " is a symlink or not a folder; refusing to use it");
      fail("cannot open the folder", path, errno);
   }
   check_private(fd.get(), path);
   return fd;
}

UniqueFd make_private_subfolder(int parent, const std::string& name) {
   if (::mkdirat(parent, name.c_str(), 0700) != 0) fail("cannot create the folder", name, errno);
   UniqueFd fd(::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
   if (!fd) fail("cannot open the folder", name, errno);
   check_private(fd.get(), name);
   return fd;
}

UniqueFd open_subfolder(int parent, const std::string& name) {
   return UniqueFd(::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
}

void remove_tree_at(int parent, const std::string& name) {
   if (::unlinkat(parent, name.c_str(), 0) == 0 || errno == ENOENT) return;
   UniqueFd folder = open_subfolder(parent, name);
   if (!folder) return;
   const int listing_fd = ::dup(folder.get());
   if (listing_fd < 0) return;
   DIR* listing = ::fdopendir(listing_fd);
   if (!listing) {
      ::close(listing_fd);
      return;
   }
   std::vector<std::string> children;
   while (const dirent* item = ::readdir(listing)) {
      const std::string child = item->d_name;
      if (child != "." && child != "..") children.push_back(child);
   }
   ::closedir(listing);
   for (const auto& child : children) remove_tree_at(folder.get(), child);
   ::unlinkat(parent, name.c_str(), AT_REMOVEDIR);
}

}  // namespace dpp::core::bundle

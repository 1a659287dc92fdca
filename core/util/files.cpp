// File operations with private modes, atomic replacement and no symlink following.
#include "util/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

#include "errors.hpp"

namespace dpp::core {
namespace {

std::string errno_text(int code) {
   return std::strerror(code);
}

[[noreturn]] void fail(const std::string& what, const std::string& path, int code) {
   throw ProviderError(kExitFailure, what + " " + path + ": " + errno_text(code));
}

class FileDescriptor {
 public:
   explicit FileDescriptor(int fd) : fd_(fd) {}
   ~FileDescriptor() {
      if (fd_ >= 0) ::close(fd_);
   }
   FileDescriptor(const FileDescriptor&) = delete;
   FileDescriptor& operator=(const FileDescriptor&) = delete;
   int get() const { return fd_; }
   int release() {
      int fd = fd_;
      fd_ = -1;
      return fd;
   }

 private:
   int fd_;
};

std::string folder_of(const std::string& path) {
   auto parent = std::filesystem::path(path).parent_path();
   return parent.empty() ? "." : parent.string();
}

}  // namespace

void ensure_private_folder(const std::string& path) {
   std::error_code error;
   std::filesystem::create_directories(path, error);
   if (error) throw ProviderError(kExitFailure, "cannot create the folder " + path + ": " + error.message());
   struct stat info {};
   if (::stat(path.c_str(), &info) != 0) fail("cannot inspect the folder", path, errno);
   if (!S_ISDIR(info.st_mode)) throw ProviderError(kExitFailure, path + " is not a folder");
   if (info.st_uid != ::geteuid())
      throw ProviderError(kExitFailure,
                          "the folder " + path + " belongs to another user; refusing to keep secrets there");
   if ((info.st_mode & 07777) != 0700 && ::chmod(path.c_str(), 0700) != 0)
      fail("cannot make private (0700) the folder", path, errno);
}

void write_file_atomically(const std::string& path, std::string_view content, unsigned mode) {
   const std::string folder = folder_of(path);
   std::random_device random;
   std::string temp;
   int fd = -1;
   for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
      temp = path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(random());
      fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
      if (fd < 0 && errno != EEXIST) fail("cannot create a temporary file beside", path, errno);
   }
   if (fd < 0) fail("cannot create a temporary file beside", path, EEXIST);
   FileDescriptor file(fd);
   auto cleanup_and_fail = [&](const char* what, int code) {
      ::unlink(temp.c_str());
      fail(what, path, code);
   };
   // The umask may have narrowed the mode further; make it exactly `mode`.
   if (::fchmod(file.get(), mode) != 0) cleanup_and_fail("cannot set the mode of", errno);
   std::size_t written = 0;
   while (written < content.size()) {
      ssize_t n = ::write(file.get(), content.data() + written, content.size() - written);
      if (n < 0) {
         if (errno == EINTR) continue;
         cleanup_and_fail("cannot write", errno);
      }
      written += static_cast<std::size_t>(n);
   }
   if (::fsync(file.get()) != 0) cleanup_and_fail("cannot flush", errno);
   if (::close(file.release()) != 0) cleanup_and_fail("cannot close", errno);
   if (::rename(temp.c_str(), path.c_str()) != 0) cleanup_and_fail("cannot replace", errno);
   FileDescriptor dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
   if (dir.get() >= 0) ::fsync(dir.get());
}

std::optional<std::string> read_private_file(const std::string& path, std::size_t max_bytes) {
   int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
   if (fd < 0) {
      if (errno == ENOENT) return std::nullopt;
      if (errno == ELOOP)
         throw ProviderError(kExitFailure, path +
                                               " is a symbolic link; refusing to follow it. "
                                               "Remove the link (someone may have planted it).");
      fail("cannot open", path, errno);
   }
   FileDescriptor file(fd);
   struct stat info {};
   if (::fstat(file.get(), &info) != 0) fail("cannot inspect", path, errno);
   if (!S_ISREG(info.st_mode)) throw ProviderError(kExitFailure, path + " is not a regular file");
   if (static_cast<std::size_t>(info.st_size) > max_bytes)
      throw ProviderError(kExitFailure, path + " is larger than " + std::to_string(max_bytes) +
                                            " bytes; it is not a file this program wrote");
   std::string content(static_cast<std::size_t>(info.st_size), '\0');
   std::size_t got = 0;
   while (got < content.size()) {
      ssize_t n = ::read(file.get(), content.data() + got, content.size() - got);
      if (n < 0) {
         if (errno == EINTR) continue;
         fail("cannot read", path, errno);
      }
      if (n == 0) break;
      got += static_cast<std::size_t>(n);
   }
   content.resize(got);
   return content;
}

void remove_file_if_exists(const std::string& path) {
   if (::unlink(path.c_str()) != 0 && errno != ENOENT) fail("cannot remove", path, errno);
}

}  // namespace dpp::core

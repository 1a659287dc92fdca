// Finding, checking and (re)building the unpacked bundle folder; see bundle_cache.hpp.
#include "bundle/bundle_cache.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <vector>

#include "bundle/cache_stamp.hpp"
#include "bundle/payload_reader.hpp"
#include "bundle/private_folder.hpp"
#include "bundle/unique_fd.hpp"

namespace dpp::core::bundle {
namespace fs = std::filesystem;
namespace {

std::string errno_text(const std::string& what) {
   return what + ": " + std::strerror(errno);
}

bool existing_folder_is_valid(int base, const UnpackRequest& request, std::string& why) {
   UniqueFd folder = open_subfolder(base, request.folder_name);
   if (!folder) {
      why = errno == ENOENT ? "" : "the cache entry is not a folder";
      return false;
   }
   struct stat info {};
   if (::fstat(folder.get(), &info) != 0 || info.st_uid != ::geteuid() || (info.st_mode & 077) != 0) {
      why = "the cache folder is not private";
      return false;
   }
   return stamp_matches(folder.get(), request.trailer.payload_sha256, request.trailer.entry_count, why);
}

void check_payload_hash(const UnpackRequest& request) {
   Sha256 hash;
   std::vector<std::uint8_t> buffer(256 * 1024);
   std::uint64_t done = 0;
   while (done < request.trailer.payload_size) {
      const std::size_t want = static_cast<std::size_t>(
          std::min<std::uint64_t>(buffer.size(), request.trailer.payload_size - done));
      const ssize_t got = ::pread(request.executable_fd, buffer.data(), want,
                                  static_cast<off_t>(request.trailer.payload_offset + done));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0)
         throw BundleDamaged(got < 0 ? errno_text("cannot read the payload") : "the payload is cut short");
      hash.update(buffer.data(), static_cast<std::size_t>(got));
      done += static_cast<std::uint64_t>(got);
   }
   if (hash.finish() != request.trailer.payload_sha256)
      throw BundleDamaged(
          "the payload does not match its sha256 (the file was damaged or changed after it was built)");
}

void write_all(int fd, const void* data, std::size_t size) {
   const auto* bytes = static_cast<const char*>(data);
   while (size > 0) {
      const ssize_t wrote = ::write(fd, bytes, size);
      if (wrote < 0 && errno == EINTR) continue;
      if (wrote <= 0) throw std::runtime_error(errno_text("cannot write an unpacked file"));
      bytes += wrote;
      size -= static_cast<std::size_t>(wrote);
   }
}

// The descriptor of the folder `path` (an entry path) goes into below `root`, creating each
// missing folder on the way as a private one; `made` keeps those already open.
int parent_folder(const std::string& path, int root, std::map<std::string, UniqueFd>& made) {
   int parent = root;
   for (std::size_t at = path.find('/'); at != std::string::npos; at = path.find('/', at + 1)) {
      const std::string prefix = path.substr(0, at);
      auto found = made.find(prefix);
      if (found == made.end()) {
         const std::size_t previous = prefix.rfind('/');
         const std::string name = previous == std::string::npos ? prefix : prefix.substr(previous + 1);
         found = made.emplace(prefix, make_private_subfolder(parent, name)).first;
      }
      parent = found->second.get();
   }
   return parent;
}

// Unpacks every entry into `folder` (0700 folders, 0600 files, O_EXCL|O_NOFOLLOW) and returns
// their stamps. Damage to the payload throws BundleDamaged; trouble with the disk, runtime_error.
std::vector<StampedFile> unpack_entries(const UnpackRequest& request, int folder) {
   std::vector<StampedFile> stamps;
   std::map<std::string, UniqueFd> folders;  // relative path → descriptor
   std::vector<char> buffer(256 * 1024);
   PayloadReader reader(request.executable_fd, request.trailer);
   PayloadReader::Entry entry;
   while (reader.next(entry)) {
      const int parent = parent_folder(entry.path, folder, folders);
      const std::size_t slash = entry.path.rfind('/');
      const std::string leaf = slash == std::string::npos ? entry.path : entry.path.substr(slash + 1);
      UniqueFd file(
          ::openat(parent, leaf.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
      if (!file) {
         if (errno == EEXIST) throw BundleDamaged("the payload holds " + entry.path + " twice");
         throw std::runtime_error(errno_text("cannot create " + entry.path));
      }
      for (std::size_t got; (got = reader.read(buffer.data(), buffer.size())) > 0;)
         write_all(file.get(), buffer.data(), got);
      struct stat info {};
      if (::fstat(file.get(), &info) != 0)
         throw std::runtime_error(errno_text("cannot inspect " + entry.path));
      stamps.push_back(stamp_of(entry.path, info));
   }
   return stamps;
}

void write_stamp(int folder, const std::string& content) {
   UniqueFd file(::openat(folder, kStampName, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
   if (!file) throw std::runtime_error(errno_text("cannot create the stamp"));
   write_all(file.get(), content.data(), content.size());
}

void remove_leftovers(int base, const std::string& folder_name) {
   // Only called with the lock held: any temporary or old folder of this name is a dead builder's.
   const int listing_fd = ::dup(base);
   if (listing_fd < 0) return;
   DIR* listing = ::fdopendir(listing_fd);
   if (!listing) {
      ::close(listing_fd);
      return;
   }
   ::rewinddir(listing);
   std::vector<std::string> stale;
   const std::string tmp_prefix = "." + folder_name + ".tmp.";
   const std::string old_prefix = "." + folder_name + ".old.";
   while (const dirent* item = ::readdir(listing)) {
      const std::string name = item->d_name;
      if (name.rfind(tmp_prefix, 0) == 0 || name.rfind(old_prefix, 0) == 0) stale.push_back(name);
   }
   ::closedir(listing);
   for (const auto& name : stale) remove_tree_at(base, name);
}

class FlockGuard {
 public:
   FlockGuard(int base, const std::string& name) {
      fd_.reset(::openat(base, name.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
      if (!fd_) throw std::runtime_error(errno_text("cannot open the lock file " + name));
      while (::flock(fd_.get(), LOCK_EX) != 0)
         if (errno != EINTR) throw std::runtime_error(errno_text("cannot lock " + name));
   }

 private:
   UniqueFd fd_;  // closing it releases the lock
};

UnpackResult unpack_into(int base, const fs::path& base_path, const UnpackRequest& request) {
   struct statvfs filesystem {};
   if (::fstatvfs(base, &filesystem) == 0 && (filesystem.f_flag & ST_NOEXEC) != 0)
      throw std::runtime_error(
          "it is on a filesystem mounted noexec, where shared libraries cannot be loaded");
   UnpackResult result{base_path / request.folder_name, false, ""};
   std::string why;
   if (existing_folder_is_valid(base, request, why)) return result;

   FlockGuard lock(base, "." + request.folder_name + ".lock");
   if (existing_folder_is_valid(base, request, why)) return result;  // another process made it meanwhile
   result.note = why;
   remove_leftovers(base, request.folder_name);
   check_payload_hash(request);

   const std::string temp_name = "." + request.folder_name + ".tmp." + std::to_string(::getpid());
   UniqueFd temp = make_private_subfolder(base, temp_name);
   try {
      const auto stamps = unpack_entries(request, temp.get());
      write_stamp(temp.get(), format_stamp(request.trailer.payload_sha256, stamps));
      struct stat info {};
      if (::fstatat(base, request.folder_name.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0) {
         // An invalid folder (or anything else) under the final name: move it aside first, as
         // rename() cannot replace a non-empty folder; a symlink is moved, never followed.
         const std::string old_name = "." + request.folder_name + ".old." + std::to_string(::getpid());
         if (::renameat(base, request.folder_name.c_str(), base, old_name.c_str()) != 0)
            throw std::runtime_error(
                errno_text("cannot move the invalid folder " + request.folder_name + " aside"));
         remove_tree_at(base, old_name);
      }
      if (::renameat(base, temp_name.c_str(), base, request.folder_name.c_str()) != 0)
         throw std::runtime_error(errno_text("cannot rename the unpacked folder into place"));
   } catch (...) {
      remove_tree_at(base, temp_name);
      throw;
   }
   result.unpacked = true;
   return result;
}

}  // namespace

std::string bundle_folder_name(const std::string& version, const Trailer& trailer) {
   return version + "-" + to_hex(trailer.payload_sha256).substr(0, 16);
}

UnpackResult unpack_or_reuse(const UnpackRequest& request, const std::vector<fs::path>& bases) {
   std::string reasons;
   for (const auto& base_path : bases) {
      try {
         UniqueFd base = open_private_folder(base_path);
         return unpack_into(base.get(), base_path, request);
      } catch (const BundleDamaged&) {
         throw;
      } catch (const std::exception& e) {
         reasons += (reasons.empty() ? "" : "; ") + base_path.string() + ": " + e.what();
      }
   }
   throw CacheUnavailable(reasons.empty() ? "no cache folder to try" : reasons);
}

}  // namespace dpp::core::bundle

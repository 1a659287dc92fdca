// Writing and checking the stamp of an unpacked bundle folder (see cache_stamp.hpp for why stat).
#include "bundle/cache_stamp.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <set>
#include <sstream>

#include "bundle/bundle_format.hpp"
#include "bundle/unique_fd.hpp"

namespace dpp::core::bundle {
namespace {

constexpr std::size_t kMaxStampSize = 1 << 20;

bool read_small_file(int folder, const char* name, std::string& content) {
   UniqueFd fd(::openat(folder, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
   if (!fd) return false;
   struct stat info {};
   if (::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode) || info.st_uid != ::geteuid() ||
       static_cast<std::size_t>(info.st_size) > kMaxStampSize)
      return false;
   content.resize(static_cast<std::size_t>(info.st_size));
   std::size_t done = 0;
   while (done < content.size()) {
      const ssize_t got = ::read(fd.get(), content.data() + done, content.size() - done);
      if (got <= 0) return false;
      done += static_cast<std::size_t>(got);
   }
   return true;
}

bool is_private_entry(const struct stat& info, bool folder) {
   return (folder ? S_ISDIR(info.st_mode) : S_ISREG(info.st_mode)) && info.st_uid == ::geteuid() &&
          (info.st_mode & 077) == 0;
}

}  // namespace

StampedFile stamp_of(const std::string& path, const struct stat& info) {
   return {path, static_cast<std::uint64_t>(info.st_size), static_cast<std::uint64_t>(info.st_ino),
           static_cast<std::int64_t>(info.st_ctim.tv_sec), static_cast<std::int64_t>(info.st_ctim.tv_nsec)};
}

std::string format_stamp(const Sha256::Digest& payload_sha256, const std::vector<StampedFile>& files) {
   std::ostringstream out;
   out << "dpp-bundle-v1 " << to_hex(payload_sha256) << '\n';
   for (const auto& file : files)
      out << file.size << ' ' << file.inode << ' ' << file.ctime_sec << ' ' << file.ctime_nsec << ' '
          << file.path << '\n';
   return out.str();
}

bool stamp_matches(int folder, const Sha256::Digest& payload_sha256, std::uint32_t entry_count,
                   std::string& why) {
   std::string content;
   if (!read_small_file(folder, kStampName, content)) {
      why = "no readable stamp";
      return false;
   }
   std::istringstream in(content);
   std::string magic, hash;
   in >> magic >> hash;
   if (magic != "dpp-bundle-v1" || hash != to_hex(payload_sha256)) {
      why = "the stamp is for another payload";
      return false;
   }
   std::set<std::string> checked_folders;
   std::uint32_t count = 0;
   StampedFile expected;
   while (in >> expected.size >> expected.inode >> expected.ctime_sec >> expected.ctime_nsec >>
          expected.path) {
      ++count;
      if (!is_valid_entry_path(expected.path)) {
         why = "the stamp lists an unsafe path";
         return false;
      }
      // Each folder on the way must be a real private folder, so no symlink redirects the file.
      for (std::size_t slash = expected.path.find('/'); slash != std::string::npos;
           slash = expected.path.find('/', slash + 1)) {
         const std::string parent = expected.path.substr(0, slash);
         if (!checked_folders.insert(parent).second) continue;
         struct stat info {};
         if (::fstatat(folder, parent.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0 ||
             !is_private_entry(info, true)) {
            why = parent + " is not a private folder";
            return false;
         }
      }
      struct stat info {};
      if (::fstatat(folder, expected.path.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0 ||
          !is_private_entry(info, false)) {
         why = expected.path + " is missing or not a private file";
         return false;
      }
      const StampedFile actual = stamp_of(expected.path, info);
      if (actual.size != expected.size || actual.inode != expected.inode ||
          actual.ctime_sec != expected.ctime_sec || actual.ctime_nsec != expected.ctime_nsec) {
         why = expected.path + " changed after it was unpacked";
         return false;
      }
   }
   if (!in.eof() || count != entry_count) {
      why = "the stamp does not list the payload's files";
      return false;
   }
   return true;
}

}  // namespace dpp::core::bundle

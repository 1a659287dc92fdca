// Fuzzes `--config FILE` (core/options/config_file): any bytes either give NAME=value pairs or a
// ConfigError naming the file and line; names are [A-Z0-9_]+ and no value spans lines. The values
// are then resolved like a run does (every host option declared), which must not throw anything
// but ConfigError either.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "errors.hpp"
#include "fuzz_support.hpp"
#include "options/config_file.hpp"
#include "options/configuration.hpp"
#include "options/host_options.hpp"
#include "util/text.hpp"

namespace {

// One in-memory file, rewritten for every input, and its path.
int memory_file() {
   static const int fd = ::memfd_create("dpp-fuzz-config", 0);
   return fd;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
   using dpp::fuzz::shown;
   const int fd = memory_file();
   if (fd < 0 || ::ftruncate(fd, 0) != 0) std::abort();
   std::size_t written = 0;
   while (written < size) {
      const ssize_t n = ::pwrite(fd, data + written, size - written, static_cast<off_t>(written));
      if (n <= 0) std::abort();
      written += static_cast<std::size_t>(n);
   }
   const std::string path = "/proc/self/fd/" + std::to_string(fd);

   std::map<std::string, std::string> values;
   try {
      values = dpp::core::read_config_file(path);
   } catch (const dpp::core::ConfigError& e) {
      for (const auto& problem : e.problems()) {
         FUZZ_CHECK(problem.starts_with(path + ":"), "a problem without file and line: " + shown(problem));
         FUZZ_CHECK(!dpp::core::has_control_characters(problem), "raw control bytes in: " + shown(problem));
      }
      return 0;
   }
   for (const auto& [name, value] : values) {
      FUZZ_CHECK(!name.empty() && name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == std::string::npos,
                 "name " + shown(name));
      FUZZ_CHECK(value.find('\n') == std::string::npos, "a value spans lines: " + shown(value));
   }
   std::vector<std::string> problems;
   (void)dpp::core::resolve_configuration(dpp::core::host_option_specs(), dpp::core::Environment::from_map({}),
                                          &values, problems);
   return 0;
}

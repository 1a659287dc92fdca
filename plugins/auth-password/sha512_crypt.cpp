// SHA-512 crypt hashes with libxcrypt's reentrant functions (no static buffers). crypt_rn, not
// crypt_r: it returns NULL on failure rather than a failure token, and AddressSanitizer does not
// intercept it (its crypt_r interceptor looks the real function up when the host starts, before
// this plugin has loaded libcrypt, and then calls a null pointer).
#include "sha512_crypt.hpp"

#include <crypt.h>

#include <cstring>
#include <dpp/cpp/plugin.hpp>
#include <memory>

#include "common/os_random.hpp"

namespace dpp::plugins {
namespace {

// crypt_data is large (~32 KiB): keep it off the stack, and wipe it after use.
struct CryptScratch {
   std::unique_ptr<crypt_data> data = std::make_unique<crypt_data>();
   ~CryptScratch() {
      volatile char* p = reinterpret_cast<char*>(data.get());
      for (std::size_t i = 0; i < sizeof(crypt_data); ++i) p[i] = 0;
   }
};

}  // namespace

std::string sha512_crypt(const std::string& password) {
   const std::string entropy = os_random_bytes(16);
   char setting[CRYPT_GENSALT_OUTPUT_SIZE];
   if (!crypt_gensalt_rn("$6$", 0, entropy.data(), static_cast<int>(entropy.size()), setting, sizeof setting))
      throw sdk::Error(DPP_E_INTERNAL, "libcrypt cannot make a SHA-512 salt");
   CryptScratch scratch;
   const char* hash = crypt_rn(password.c_str(), setting, scratch.data.get(), sizeof(crypt_data));
   if (!hash || hash[0] != '$' || std::strncmp(hash, "$6$", 3) != 0)
      throw sdk::Error(DPP_E_INTERNAL, "libcrypt cannot make a SHA-512 hash");
   return hash;
}

bool sha512_crypt_matches(const std::string& password, const std::string& hash) {
   if (hash.rfind("$6$", 0) != 0) return false;
   CryptScratch scratch;
   const char* computed = crypt_rn(password.c_str(), hash.c_str(), scratch.data.get(), sizeof(crypt_data));
   return computed && hash == computed;
}

}  // namespace dpp::plugins

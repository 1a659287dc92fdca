// ed25519 keys in OpenSSH formats (PROTOCOL.key of OpenSSH: openssh-key-v1, cipher "none").
#include "common/openssh_keys.hpp"

#include <openssl/evp.h>

#include <cstdint>
#include <cstring>
#include <dpp/cpp/plugin.hpp>
#include <memory>

#include "common/base64.hpp"
#include "common/os_random.hpp"

namespace dpp::plugins {
namespace {

constexpr std::string_view kMagic{"openssh-key-v1\0", 15};
constexpr std::string_view kKeyType = "ssh-ed25519";
constexpr std::string_view kBegin = "-----BEGIN OPENSSH PRIVATE KEY-----";
constexpr std::string_view kEnd = "-----END OPENSSH PRIVATE KEY-----";

void put_u32(std::string& out, uint32_t value) {
   out += static_cast<char>((value >> 24) & 0xFF);
   out += static_cast<char>((value >> 16) & 0xFF);
   out += static_cast<char>((value >> 8) & 0xFF);
   out += static_cast<char>(value & 0xFF);
}

void put_string(std::string& out, std::string_view value) {
   put_u32(out, static_cast<uint32_t>(value.size()));
   out.append(value);
}

// Reads SSH wire-format fields from a buffer, failing softly on truncation.
class Reader {
 public:
   explicit Reader(std::string_view data) : data_(data) {}
   bool u32(uint32_t& value) {
      if (data_.size() < 4) return false;
      value = (static_cast<uint32_t>(static_cast<uint8_t>(data_[0])) << 24) |
              (static_cast<uint32_t>(static_cast<uint8_t>(data_[1])) << 16) |
              (static_cast<uint32_t>(static_cast<uint8_t>(data_[2])) << 8) | static_cast<uint8_t>(data_[3]);
      data_.remove_prefix(4);
      return true;
   }
   bool string(std::string_view& value) {
      uint32_t length;
      if (!u32(length) || data_.size() < length) return false;
      value = data_.substr(0, length);
      data_.remove_prefix(length);
      return true;
   }
   bool raw(std::size_t count, std::string_view& value) {
      if (data_.size() < count) return false;
      value = data_.substr(0, count);
      data_.remove_prefix(count);
      return true;
   }
   std::string_view rest() const { return data_; }

 private:
   std::string_view data_;
};

struct PkeyDeleter {
   void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

void wipe(std::string& secret) {
   volatile char* p = secret.data();
   for (std::size_t i = 0; i < secret.size(); ++i) p[i] = 0;
}

std::string public_blob(std::string_view public_key) {
   std::string blob;
   put_string(blob, kKeyType);
   put_string(blob, public_key);
   return blob;
}

std::string public_line(std::string_view public_key, const std::string& comment) {
   std::string line = std::string(kKeyType) + " " + base64_encode(public_blob(public_key));
   if (!comment.empty()) line += " " + comment;
   return line;
}

// The 32-byte public key of a 32-byte seed, through OpenSSL.
std::optional<std::string> derive_public(std::string_view seed) {
   Pkey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                         reinterpret_cast<const unsigned char*>(seed.data()), seed.size()));
   if (!key) return std::nullopt;
   std::string public_key(32, '\0');
   std::size_t length = public_key.size();
   if (EVP_PKEY_get_raw_public_key(key.get(), reinterpret_cast<unsigned char*>(public_key.data()), &length) !=
           1 ||
       length != 32)
      return std::nullopt;
   return public_key;
}

std::string armour(std::string_view body) {
   const std::string encoded = base64_encode(body);
   std::string out = std::string(kBegin) + "\n";
   for (std::size_t i = 0; i < encoded.size(); i += 70) out += encoded.substr(i, 70) + "\n";
   out += std::string(kEnd) + "\n";
   return out;
}

}  // namespace

OpensshKeyPair generate_ed25519(const std::string& comment) {
   // The seed comes straight from the OS CSPRNG; OpenSSL derives the public half.
   std::string seed = os_random_bytes(32);
   std::optional<std::string> public_key = derive_public(seed);
   if (!public_key) {
      wipe(seed);
      throw sdk::Error(DPP_E_INTERNAL, "OpenSSL could not make an ed25519 key");
   }
   uint32_t check;
   const std::string check_bytes = os_random_bytes(sizeof check);
   std::memcpy(&check, check_bytes.data(), sizeof check);
   std::string secret;
   put_u32(secret, check);
   put_u32(secret, check);
   put_string(secret, kKeyType);
   put_string(secret, *public_key);
   std::string private_part = seed + *public_key;  // OpenSSH stores seed || public
   put_string(secret, private_part);
   wipe(private_part);
   put_string(secret, comment);
   for (char pad = 1; secret.size() % 8 != 0; ++pad) secret += pad;

   std::string body(kMagic);
   put_string(body, "none");  // cipher
   put_string(body, "none");  // kdf
   put_string(body, "");      // kdf options
   put_u32(body, 1);          // number of keys
   put_string(body, public_blob(*public_key));
   put_string(body, secret);
   OpensshKeyPair pair{armour(body), public_line(*public_key, comment)};
   wipe(seed);
   wipe(secret);
   wipe(body);
   return pair;
}

std::optional<std::string> public_line_of_private_key(const std::string& private_key,
                                                      const std::string& comment) {
   const auto begin = private_key.find(kBegin);
   const auto end = private_key.find(kEnd);
   if (begin == std::string::npos || end == std::string::npos || end < begin) return std::nullopt;
   std::string encoded;
   for (std::size_t i = begin + kBegin.size(); i < end; ++i)
      if (private_key[i] != '\n' && private_key[i] != '\r') encoded += private_key[i];
   std::optional<std::string> body = base64_decode(encoded);
   if (!body) return std::nullopt;
   Reader reader(*body);
   std::string_view magic, cipher, kdf, kdf_options, public_part, secret;
   uint32_t keys;
   if (!reader.raw(kMagic.size(), magic) || magic != kMagic || !reader.string(cipher) || cipher != "none" ||
       !reader.string(kdf) || kdf != "none" || !reader.string(kdf_options) || !reader.u32(keys) ||
       keys != 1 || !reader.string(public_part) || !reader.string(secret))
      return std::nullopt;
   Reader inner(secret);
   uint32_t check1, check2;
   std::string_view type, public_key, private_part;
   if (!inner.u32(check1) || !inner.u32(check2) || check1 != check2 || !inner.string(type) ||
       type != kKeyType || !inner.string(public_key) || public_key.size() != 32 ||
       !inner.string(private_part) || private_part.size() != 64 || private_part.substr(32) != public_key)
      return std::nullopt;
   std::optional<std::string> derived = derive_public(private_part.substr(0, 32));
   std::string result;
   if (derived && *derived == public_key && public_part == public_blob(public_key))
      result = public_line(public_key, comment);
   wipe(*body);
   if (result.empty()) return std::nullopt;
   return result;
}

}  // namespace dpp::plugins

// OpenSSH public key lines: parsing and SHA256 fingerprints.
#include "common/ssh_public_key.hpp"

#include <openssl/evp.h>

#include <dpp/cpp/plugin.hpp>
#include <optional>

#include "common/base64.hpp"

namespace dpp::plugins {
namespace {

bool is_space(char c) {
   return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view text) {
   while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
   while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
   return text;
}

// The next whitespace-separated field of `text`, consumed.
std::string_view next_field(std::string_view& text) {
   text = trim(text);
   std::size_t end = 0;
   while (end < text.size() && !is_space(text[end])) ++end;
   std::string_view field = text.substr(0, end);
   text.remove_prefix(end);
   return field;
}

}  // namespace

std::string SshPublicKey::fingerprint() const {
   return ssh_fingerprint(blob);
}

std::string SshPublicKey::line() const {
   return type + " " + base64_encode(blob);
}

std::string ssh_blob_type(std::string_view blob) {
   // RFC 4253 §6.6: the blob starts with the algorithm name as an SSH string (u32 length, bytes).
   if (blob.size() < 4) return "";
   const uint32_t length = (static_cast<uint32_t>(static_cast<unsigned char>(blob[0])) << 24) |
                           (static_cast<uint32_t>(static_cast<unsigned char>(blob[1])) << 16) |
                           (static_cast<uint32_t>(static_cast<unsigned char>(blob[2])) << 8) |
                           static_cast<uint32_t>(static_cast<unsigned char>(blob[3]));
   if (length == 0 || length > 64 || length > blob.size() - 4) return "";
   return std::string(blob.substr(4, length));
}

std::string ssh_fingerprint(std::string_view blob) {
   unsigned char digest[EVP_MAX_MD_SIZE];
   unsigned int length = 0;
   if (EVP_Digest(blob.data(), blob.size(), digest, &length, EVP_sha256(), nullptr) != 1)
      throw sdk::Error(DPP_E_INTERNAL, "SHA-256 is not available from OpenSSL");
   std::string encoded = base64_encode(std::string_view(reinterpret_cast<const char*>(digest), length));
   while (!encoded.empty() && encoded.back() == '=') encoded.pop_back();
   return "SHA256:" + encoded;
}

SshPublicKey parse_ssh_public_key(std::string_view line) {
   std::string_view rest = line;
   const std::string_view type = next_field(rest);
   if (type.empty()) throw sdk::Error(DPP_E_INVALID_ARGUMENT, "the host key is empty");
   // A key type is a short printable ASCII word; anything else must not reach a known_hosts line.
   bool plain = type.size() <= 64;
   for (char c : type) plain = plain && c > 0x20 && c < 0x7f;
   if (!plain) throw sdk::Error(DPP_E_INVALID_ARGUMENT, "the host key's type is not a key type name");
   const std::string_view encoded = next_field(rest);
   if (encoded.empty())
      throw sdk::Error(DPP_E_INVALID_ARGUMENT,
                       "the host key '" + std::string(type.substr(0, 40)) +
                           "' has no key field (expected \"<type> <base64> [comment]\")");
   std::optional<std::string> blob = base64_decode(encoded);
   if (!blob)
      throw sdk::Error(DPP_E_INVALID_ARGUMENT,
                       "the " + std::string(type.substr(0, 40)) + " host key is not valid base64");
   const std::string inner = ssh_blob_type(*blob);
   if (inner != type)
      throw sdk::Error(DPP_E_INVALID_ARGUMENT, "the host key line says " + std::string(type.substr(0, 40)) +
                                                   " but its key is " +
                                                   (inner.empty() ? std::string("malformed") : inner));
   return SshPublicKey{std::string(type), std::move(*blob)};
}

}  // namespace dpp::plugins

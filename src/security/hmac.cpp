#include "security/hmac.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sodium.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <vector>

#include "security/bytes.h"
#include "security/hex.h"

namespace lab::security {

namespace {

std::string_view as_text(const Key256& key) {
  const auto bytes = key.bytes();
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace

namespace {

// OpenSSL's HMAC, fetched once and kept in one context per thread that is only re-keyed per call: a stage 2
// server runs this on every request, and OpenSSL's SHA-256 uses the CPU's SHA extensions (libsodium's portable
// one takes about three times as long on a request-sized message). The context keeps the last key's pads until
// the next call, in the same process that holds the keys themselves; it is cleansed when its thread ends.
EVP_MAC_CTX* thread_hmac() {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac == nullptr) throw std::runtime_error("HMAC is not available from OpenSSL");
  thread_local const std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx = [] {
    std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> made(EVP_MAC_CTX_new(mac), &EVP_MAC_CTX_free);
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    if (!made || EVP_MAC_CTX_set_params(made.get(), params) != 1) {
      throw std::runtime_error("HMAC-SHA256: OpenSSL could not set up a context");
    }
    return made;
  }();
  return ctx.get();
}

}  // namespace

HmacSha256 hmac_sha256(std::string_view key, std::string_view message) {
  // A null key would mean "keep the previous one" to EVP_MAC_init: an empty key is passed as a real, empty one.
  static const unsigned char kNoKeyBytes = 0;
  const unsigned char* key_bytes = key.empty() ? &kNoKeyBytes : bytes_of(key);
  HmacSha256 mac{};
  std::size_t length = 0;
  EVP_MAC_CTX* ctx = thread_hmac();
  if (EVP_MAC_init(ctx, key_bytes, key.size(), nullptr) != 1 ||
      EVP_MAC_update(ctx, bytes_of(message), message.size()) != 1 ||
      EVP_MAC_final(ctx, mac.data(), &length, mac.size()) != 1 || length != mac.size()) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return mac;
}

HmacSha256 hmac_sha256(const Key256& key, std::string_view message) { return hmac_sha256(as_text(key), message); }

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  const auto mac = hmac_sha256(key, message);
  return hex_encode(mac.data(), mac.size());
}

std::string hmac_sha256_hex(const Key256& key, std::string_view message) {
  return hmac_sha256_hex(as_text(key), message);
}

bool hmac_sha256_hex_matches(const Key256& key, std::string_view message, std::string_view hex) {
  // Compared as text: the presented digits (public: checked in any time, then read in lower case) against the
  // expected MAC's, which libsodium writes in constant time. Decoding the presented text instead would cost more
  // than the MAC itself on a request-sized message.
  constexpr std::size_t kDigits = 2 * std::tuple_size_v<HmacSha256>;
  const auto is_hex_digit = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); };
  if (hex.size() != kDigits || !std::all_of(hex.begin(), hex.end(), is_hex_digit)) return false;
  std::array<char, kDigits> presented{};
  std::transform(hex.begin(), hex.end(), presented.begin(), [](char c) { return static_cast<char>(c | 0x20); });
  const auto mac = hmac_sha256(key, message);
  std::array<char, kDigits + 1> expected{};
  sodium_bin2hex(expected.data(), expected.size(), mac.data(), mac.size());
  const bool same = CRYPTO_memcmp(presented.data(), expected.data(), kDigits) == 0;
  sodium_memzero(expected.data(), expected.size());
  return same;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string random_hex(std::size_t n) {
  std::vector<unsigned char> buf(n);
  if (RAND_bytes(buf.data(), static_cast<int>(n)) != 1) throw std::runtime_error("RAND_bytes failed");
  return hex_encode(buf.data(), n);
}

}  // namespace lab::security

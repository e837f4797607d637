#include "security/hmac.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sodium.h>

#include <array>
#include <stdexcept>
#include <vector>

#include "security/bytes.h"
#include "security/hex.h"
#include "security/hmac_contexts.h"

namespace lab::security {

namespace {

HmacSha256 finish(EVP_MAC_CTX* ctx, std::string_view message) {
  HmacSha256 mac{};
  std::size_t length = 0;
  if (EVP_MAC_update(ctx, bytes_of(message), message.size()) != 1 ||
      EVP_MAC_final(ctx, mac.data(), &length, mac.size()) != 1 || length != mac.size()) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return mac;
}

// Each hex digit in lower case, 0 for every other byte: one table load per presented digit.
constexpr std::array<char, 256> kLowerHexDigit = [] {
  std::array<char, 256> t{};
  for (char c = '0'; c <= '9'; ++c) t[static_cast<unsigned char>(c)] = c;
  for (char c = 'a'; c <= 'f'; ++c) {
    t[static_cast<unsigned char>(c)] = c;
    t[static_cast<unsigned char>(c - 'a' + 'A')] = c;
  }
  return t;
}();

}  // namespace

HmacSha256 hmac_sha256(std::string_view key, std::string_view message) {
  return finish(hmac_context_for(key), message);
}

HmacSha256 hmac_sha256(const Key256& key, std::string_view message) { return finish(hmac_context_for(key), message); }

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  const auto mac = hmac_sha256(key, message);
  return hex_encode(mac.data(), mac.size());
}

std::string hmac_sha256_hex(const Key256& key, std::string_view message) {
  const auto mac = hmac_sha256(key, message);
  return hex_encode(mac.data(), mac.size());
}

bool hmac_sha256_hex_matches(const Key256& key, std::string_view message, std::string_view hex) {
  // Compared as text: the presented digits (public: checked in any time, then read in lower case) against the
  // expected MAC's, which libsodium writes in constant time. Decoding the presented text instead would cost more
  // than the MAC itself on a request-sized message.
  constexpr std::size_t kDigits = 2 * std::tuple_size_v<HmacSha256>;
  if (hex.size() != kDigits) return false;
  std::array<char, kDigits> presented{};
  unsigned char not_hex = 0;
  for (std::size_t i = 0; i < kDigits; ++i) {
    const char digit = kLowerHexDigit[static_cast<unsigned char>(hex[i])];
    presented[i] = digit;
    not_hex |= static_cast<unsigned char>(digit == 0);
  }
  if (not_hex) return false;
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

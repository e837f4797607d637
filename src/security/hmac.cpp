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

// Each hex digit's value (either case), kNotHex for every other byte: one table load per presented digit.
constexpr unsigned char kNotHex = 0x10;
constexpr std::array<unsigned char, 256> kHexValue = [] {
  std::array<unsigned char, 256> t{};
  t.fill(kNotHex);
  for (int d = 0; d < 10; ++d) t['0' + d] = static_cast<unsigned char>(d);
  for (int d = 0; d < 6; ++d) t['a' + d] = t['A' + d] = static_cast<unsigned char>(10 + d);
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
  // The presented digits are public: read into bytes by a table, in any time. Only the comparison with the
  // expected MAC, which is secret until it matches, takes the same time wherever they differ.
  HmacSha256 presented{};
  if (hex.size() != 2 * presented.size()) return false;
  unsigned char not_hex = 0;
  for (std::size_t i = 0; i < presented.size(); ++i) {
    const unsigned char high = kHexValue[static_cast<unsigned char>(hex[2 * i])];
    const unsigned char low = kHexValue[static_cast<unsigned char>(hex[2 * i + 1])];
    not_hex |= high | low;
    presented[i] = static_cast<unsigned char>((high << 4) | (low & 0x0f));
  }
  if (not_hex & kNotHex) return false;
  HmacSha256 expected = hmac_sha256(key, message);
  const bool same = CRYPTO_memcmp(presented.data(), expected.data(), expected.size()) == 0;
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

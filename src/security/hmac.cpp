#include "security/hmac.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sodium.h>

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

// libsodium's HMAC keeps its whole state on the stack: no allocation, no
// provider lookup, which matters because a stage 2 server runs this once per request.
HmacSha256 hmac_sha256(std::string_view key, std::string_view message) {
  crypto_auth_hmacsha256_state state;
  HmacSha256 mac{};
  crypto_auth_hmacsha256_init(&state, bytes_of(key), key.size());
  crypto_auth_hmacsha256_update(&state, bytes_of(message), message.size());
  crypto_auth_hmacsha256_final(&state, mac.data());
  sodium_memzero(&state, sizeof state);  // the state holds the key's inner and outer pads
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
  HmacSha256 presented{};
  std::size_t decoded = 0;
  const char* end = nullptr;
  if (hex.size() != 2 * presented.size() ||
      sodium_hex2bin(presented.data(), presented.size(), hex.data(), hex.size(), nullptr, &decoded, &end) != 0 ||
      decoded != presented.size() || end != hex.data() + hex.size()) {
    return false;
  }
  const auto expected = hmac_sha256(key, message);
  return crypto_verify_32(expected.data(), presented.data()) == 0;
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

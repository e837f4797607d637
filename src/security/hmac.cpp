#include "security/hmac.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

#include "security/hex.h"

namespace lab::security {

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(message.data()), message.size(), md, &len)) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return hex_encode(md, len);
}

std::string hmac_sha256_hex(const Key256& key, std::string_view message) {
  const auto bytes = key.bytes();
  return hmac_sha256_hex(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), message);
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

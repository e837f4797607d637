#include "security/key256.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <stdexcept>

#include "security/hex.h"

namespace lab::security {

Key256 Key256::random() {
  Key256 k;
  if (RAND_bytes(k.bytes_.data(), static_cast<int>(kSize)) != 1) throw std::runtime_error("RAND_bytes failed");
  return k;
}

Result<Key256> Key256::from_hex(std::string_view hex) {
  if (hex.size() != 2 * kSize) {
    return Error{ErrorCode::kInvalidField, "a 256-bit key is 64 hex digits, not " + std::to_string(hex.size())};
  }
  auto raw = hex_decode(hex);
  if (!raw) return raw.error();
  Key256 k;
  for (std::size_t i = 0; i < kSize; ++i) k.bytes_[i] = static_cast<unsigned char>((*raw)[i]);
  OPENSSL_cleanse(raw->data(), raw->size());
  return k;
}

Key256::~Key256() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

std::string Key256::to_hex() const { return hex_encode(bytes_.data(), bytes_.size()); }

bool operator==(const Key256& a, const Key256& b) { return CRYPTO_memcmp(a.bytes_.data(), b.bytes_.data(), Key256::kSize) == 0; }

}  // namespace lab::security

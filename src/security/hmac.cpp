#include "security/hmac.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <memory>
#include <stdexcept>
#include <vector>

#include "security/hex.h"

namespace lab::security {

namespace {

using MacContext = std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)>;

// One HMAC-SHA256 context per thread, its algorithm and digest looked up
// once: the one-shot HMAC() looks both up on every call, and this runs for
// every signed request. Each use sets a new key.
EVP_MAC_CTX* thread_hmac_sha256() {
  thread_local MacContext context = [] {
    std::unique_ptr<EVP_MAC, decltype(&EVP_MAC_free)> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr), &EVP_MAC_free);
    MacContext ctx(mac ? EVP_MAC_CTX_new(mac.get()) : nullptr, &EVP_MAC_CTX_free);
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0), OSSL_PARAM_construct_end()};
    if (!ctx || EVP_MAC_CTX_set_params(ctx.get(), params) != 1) throw std::runtime_error("HMAC-SHA256 unavailable");
    return ctx;
  }();
  return context.get();
}

}  // namespace

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  EVP_MAC_CTX* ctx = thread_hmac_sha256();
  unsigned char md[EVP_MAX_MD_SIZE];
  std::size_t len = 0;
  // A zero-length key still needs a valid pointer.
  static const unsigned char kNoKey = 0;
  const auto* key_bytes = key.empty() ? &kNoKey : reinterpret_cast<const unsigned char*>(key.data());
  if (EVP_MAC_init(ctx, key_bytes, key.size(), nullptr) != 1 ||
      EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
      EVP_MAC_final(ctx, md, &len, sizeof md) != 1) {
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

#include "security/digest.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

#include "security/hex.h"

namespace lab::security {
namespace {

const EVP_MD* sha256_md() {
  // Fetched once: an implicit fetch on every digest costs more than the digest of a short input.
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) throw std::runtime_error("SHA-256 is not available from OpenSSL");
  return md;
}

EVP_MD_CTX* thread_context() {
  thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!ctx) throw std::runtime_error("SHA-256: no memory for a digest context");
  return ctx.get();
}

}  // namespace

Sha256 sha256(std::string_view data) {
  Sha256 out{};
  unsigned int len = 0;
  EVP_MD_CTX* ctx = thread_context();
  if (EVP_DigestInit_ex(ctx, sha256_md(), nullptr) != 1 || EVP_DigestUpdate(ctx, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx, out.data(), &len) != 1 || len != out.size()) {
    throw std::runtime_error("SHA-256 failed");
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  const Sha256 md = sha256(data);
  return hex_encode(md.data(), md.size());
}

}  // namespace lab::security

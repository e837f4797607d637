#include "security/argon2_password.h"

#include <sodium.h>

#include "security/sodium_ready.h"

namespace lab::security {

Result<std::string> argon2id_hash(std::string_view password, const Argon2Params& params) {
  ensure_sodium_ready();
  if (password.size() > kMaxPasswordBytes) {
    return Error{ErrorCode::kInvalidField, "a password is at most 1024 bytes"};
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), params.passes, params.memory_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Error{ErrorCode::kInternalError, "password hashing ran out of memory"};
  }
  return std::string(out);
}

bool argon2id_verify(std::string_view password, const std::string& hash) {
  ensure_sodium_ready();
  if (password.size() > kMaxPasswordBytes || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool argon2id_needs_rehash(const std::string& hash, const Argon2Params& params) {
  ensure_sodium_ready();
  if (hash.rfind("$argon2id$", 0) != 0) return true;
  return crypto_pwhash_str_needs_rehash(hash.c_str(), params.passes, params.memory_bytes) != 0;
}

}  // namespace lab::security

#include "store/redis/value_fingerprint.h"

#include <openssl/evp.h>

#include <stdexcept>

#include "security/hex.h"

namespace lab::store {

std::string value_fingerprint(std::string_view stored_value) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(stored_value.data(), stored_value.size(), digest, &size, EVP_sha1(), nullptr) != 1) {
    throw std::runtime_error("SHA-1 is unavailable in OpenSSL");
  }
  return security::hex_encode(digest, size);
}

}  // namespace lab::store

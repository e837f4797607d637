#include "security/digest.h"

#include <openssl/evp.h>

#include <stdexcept>

#include "security/hex.h"

namespace lab::security {

std::string sha256_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return hex_encode(md, len);
}

}  // namespace lab::security

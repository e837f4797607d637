#include "security/bcrypt_password.h"

#include <crypt.h>

#include <memory>

#include "security/hmac.h"

namespace lab::security {

Result<std::string> bcrypt_hash(std::string_view password, int cost) {
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  if (!crypt_gensalt_rn("$2b$", static_cast<unsigned long>(cost), nullptr, 0, setting, sizeof setting)) {
    return Error{ErrorCode::kInternalError, "bcrypt salt generation failed"};
  }
  auto data = std::make_unique<crypt_data>();
  const std::string pw(password);
  const char* hash = crypt_r(pw.c_str(), setting, data.get());
  if (!hash || hash[0] == '*') return Error{ErrorCode::kInternalError, "bcrypt hashing failed"};
  return std::string(hash);
}

bool bcrypt_verify(std::string_view password, const std::string& hash) {
  auto data = std::make_unique<crypt_data>();
  const std::string pw(password);
  const char* computed = crypt_r(pw.c_str(), hash.c_str(), data.get());
  if (!computed || computed[0] == '*') return false;
  return constant_time_equal(computed, hash);
}

}  // namespace lab::security

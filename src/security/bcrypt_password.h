// Password hashing with bcrypt ($2b$) from libxcrypt.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace lab::security {

// A "$2b$<cost>$..." hash of `password` with a fresh random salt.
Result<std::string> bcrypt_hash(std::string_view password, int cost);

// True when `password` matches `hash` (constant-time comparison of the result).
[[nodiscard]] bool bcrypt_verify(std::string_view password, const std::string& hash);

}  // namespace lab::security

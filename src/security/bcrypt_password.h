// Password hashing with bcrypt ($2b$) from libxcrypt.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace lab::security {

// A "$2b$<cost>$..." hash of `password` with a fresh random salt.
Result<std::string> bcrypt_hash(std::string_view password, int cost);

// True when `password` matches `hash` (constant-time comparison of the result).
// bcrypt reads the password as a C string of at most 72 bytes: a NUL ends it
// and bytes past the 72nd are ignored, so two different passwords can match.
// Callers that need the whole password checked use Argon2id (libsodium).
[[nodiscard]] bool bcrypt_verify(std::string_view password, const std::string& hash);

}  // namespace lab::security

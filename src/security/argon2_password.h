// Password hashing with Argon2id (libsodium's crypto_pwhash_str). The hash
// string carries its own salt and parameters ("$argon2id$v=19$m=19456,t=2,p=1$..."),
// so raising the parameters later needs no migration: a login that verifies
// against an older hash is rehashed (needs_rehash) with the new ones.
//
// Hashing costs tens of milliseconds of one core by design: callers run it off
// the I/O threads and apply lockout and throttling before it, never after.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace lab::security {

struct Argon2Params {
  // OWASP's minimum for Argon2id: 19 MiB, 2 passes, 1 lane (~22 ms to hash here).
  std::uint64_t passes = 2;
  std::size_t memory_bytes = std::size_t{19} * 1024 * 1024;
};

// Passwords longer than this are refused before any hashing (no CPU spent on a megabyte "password").
inline constexpr std::size_t kMaxPasswordBytes = 1024;

// A fresh salt each call. INVALID_FIELD for an over-long password; INTERNAL_ERROR if memory runs out.
Result<std::string> argon2id_hash(std::string_view password, const Argon2Params& params = {});

// True when `password` matches `hash`. The whole password counts (no truncation, NUL bytes included).
[[nodiscard]] bool argon2id_verify(std::string_view password, const std::string& hash);

// True when `hash` was made with parameters other than `params` (or is not an Argon2id hash at all).
[[nodiscard]] bool argon2id_needs_rehash(const std::string& hash, const Argon2Params& params = {});

}  // namespace lab::security

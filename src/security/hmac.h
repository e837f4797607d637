// HMAC-SHA256 and constant-time comparison (OpenSSL).
#pragma once

#include <string>
#include <string_view>

#include "security/key256.h"

namespace lab::security {

// Lower-case hex HMAC-SHA256 of `message` under `key` (raw key bytes).
std::string hmac_sha256_hex(std::string_view key, std::string_view message);
std::string hmac_sha256_hex(const Key256& key, std::string_view message);

// Equal length and equal content, in time independent of where they differ.
[[nodiscard]] bool constant_time_equal(std::string_view a, std::string_view b);

// `n` bytes from the operating system's CSPRNG, hex-encoded.
std::string random_hex(std::size_t n);

}  // namespace lab::security

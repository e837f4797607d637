// HMAC-SHA256 (OpenSSL) and constant-time comparison.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "security/key256.h"

namespace lab::security {

using HmacSha256 = std::array<unsigned char, 32>;

// HMAC-SHA256 of `message` under `key` (raw key bytes, any length).
HmacSha256 hmac_sha256(std::string_view key, std::string_view message);
HmacSha256 hmac_sha256(const Key256& key, std::string_view message);

// The same, as lower-case hex (what travels in a stage 2 auth block).
std::string hmac_sha256_hex(std::string_view key, std::string_view message);
std::string hmac_sha256_hex(const Key256& key, std::string_view message);

// True when `hex` is exactly 64 hex digits (either case) naming the HMAC of
// `message` under `key`; the comparison takes the same time wherever they differ.
[[nodiscard]] bool hmac_sha256_hex_matches(const Key256& key, std::string_view message, std::string_view hex);

// Equal length and equal content, in time independent of where they differ.
[[nodiscard]] bool constant_time_equal(std::string_view a, std::string_view b);

// `n` bytes from the operating system's CSPRNG, hex-encoded.
std::string random_hex(std::size_t n);

}  // namespace lab::security

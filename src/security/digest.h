// Message digests (OpenSSL EVP). SHA-256 is fetched from the provider once
// and each thread reuses one digest context: a session id's hash is on every
// request's path (with SHA extensions, about a tenth of a microsecond).
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace lab::security {

using Sha256 = std::array<unsigned char, 32>;

// SHA-256 of `data`. Throws std::runtime_error only if OpenSSL itself fails (no provider, no memory).
Sha256 sha256(std::string_view data);
// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace lab::security

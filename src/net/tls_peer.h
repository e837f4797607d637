// What a TLS connection knows about the client at the other end.
#pragma once

#include <string>

#include <openssl/ssl.h>

namespace lab::net {

// Lower-case hex SHA-256 of the peer's certificate (DER), the fingerprint a
// binding control compares; empty when the peer presented none.
std::string peer_certificate_sha256(SSL* ssl);

}  // namespace lab::net

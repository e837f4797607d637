#include "net/tls_peer.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>

#include "security/hex.h"

namespace lab::net {

std::string peer_certificate_sha256(SSL* ssl) {
  std::unique_ptr<X509, decltype(&X509_free)> cert(SSL_get1_peer_certificate(ssl), &X509_free);
  if (!cert) return {};
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (X509_digest(cert.get(), EVP_sha256(), digest, &length) != 1) return {};
  return security::hex_encode(digest, length);
}

}  // namespace lab::net

// ECDSA P-256 with SHA-256: the signatures stage 3 puts on every request.
// An agent signs with its SigningKey (the private key of its lab certificate);
// the coordinator checks with a VerifyKey made once per agent from the
// agent's certificate and kept, so a request costs one verification and no
// PEM parsing. Signatures are DER (about 71 bytes). Note that an ECDSA
// signature is not unique: (r, s) and (r, n - s) both verify, so a replay
// control must key on the signed nonce, never on the signature bytes.
#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/types.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace lab::security {

// An OpenSSL object freed when it goes out of scope:
// OpenSslPtr<EVP_PKEY, EVP_PKEY_free>.
template <class T, void (*Free)(T*)>
struct OpenSslFree {
  void operator()(T* p) const noexcept { Free(p); }
};
template <class T, void (*Free)(T*)>
using OpenSslPtr = std::unique_ptr<T, OpenSslFree<T, Free>>;
using EvpPkeyPtr = OpenSslPtr<EVP_PKEY, EVP_PKEY_free>;
using BioPtr = OpenSslPtr<BIO, BIO_free_all>;
using X509Ptr = OpenSslPtr<X509, X509_free>;

// The Error of a failed OpenSSL call. A failed call leaves entries in the
// calling thread's error queue; on an io thread a stale entry would be read as
// the cause of the next TLS failure, so every failure path empties it here.
Error openssl_failure(ErrorCode code, std::string message);

class VerifyKey;

// A P-256 private key. It is moved, never copied, and has no conversion to
// text: writing it out takes an explicit to_pem(), easy to find in a review,
// so it can not end up in a log line by accident.
class SigningKey {
 public:
  // A fresh key from the operating system's CSPRNG.
  static Result<SigningKey> generate();
  // PKCS#8 PEM ("BEGIN PRIVATE KEY"; the traditional "BEGIN EC PRIVATE KEY"
  // is read too). Encrypted keys and curves other than P-256 are INVALID_FIELD.
  static Result<SigningKey> from_pem(std::string_view pem);

  SigningKey(SigningKey&&) noexcept = default;
  SigningKey& operator=(SigningKey&&) noexcept = default;
  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;

  // Unencrypted PKCS#8 PEM: a secret, for a file of mode 0600 only.
  Result<std::string> to_pem() const;
  // The DER signature of SHA-256(message). Safe to call from several threads.
  Result<std::string> sign(std::string_view message) const;
  // The matching public key (a copy of the public half only).
  Result<VerifyKey> public_key() const;

  // For OpenSSL calls that need the key itself (signing a certificate).
  EVP_PKEY* native_handle() const noexcept { return key_.get(); }

 private:
  explicit SigningKey(EvpPkeyPtr key) : key_(std::move(key)) {}
  EvpPkeyPtr key_;
};

// A P-256 public key, parsed once and then used for any number of
// verifications, from any number of threads at once (the key is only read;
// every call has a digest context of its own). Copies share the key.
class VerifyKey {
 public:
  // SubjectPublicKeyInfo PEM ("BEGIN PUBLIC KEY").
  static Result<VerifyKey> from_pem(std::string_view pem);
  // The subject key of a certificate (PEM, or already parsed). The
  // certificate itself is not checked here: see verify_agent_certificate.
  static Result<VerifyKey> from_certificate_pem(std::string_view certificate_pem);
  static Result<VerifyKey> from_certificate(const X509* certificate);

  VerifyKey(const VerifyKey& other);
  VerifyKey& operator=(const VerifyKey& other);
  VerifyKey(VerifyKey&&) noexcept = default;
  VerifyKey& operator=(VerifyKey&&) noexcept = default;

  // SubjectPublicKeyInfo PEM.
  Result<std::string> to_pem() const;
  // True only when `der_signature` is this key's signature of `message`.
  [[nodiscard]] bool verify(std::string_view message, std::string_view der_signature) const;

  EVP_PKEY* native_handle() const noexcept { return key_.get(); }

 private:
  friend class SigningKey;
  explicit VerifyKey(EvpPkeyPtr key) : key_(std::move(key)) {}
  EvpPkeyPtr key_;
};

}  // namespace lab::security

#include "security/ecdsa.h"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <string>

namespace lab::security {
namespace {

using MdCtxPtr = OpenSslPtr<EVP_MD_CTX, EVP_MD_CTX_free>;

// The largest DER encoding of a P-256 signature: SEQUENCE of two 33-byte INTEGERs.
constexpr std::size_t kMaxDerSignatureBytes = 72;

// Never asks for a pass phrase (the default callback would read the terminal).
int no_passphrase(char*, int, int, void*) { return -1; }

// A read-only view of PEM text; null when it is too large to be a key or a certificate.
BioPtr read_bio(std::string_view text) {
  constexpr std::size_t kMaxPemBytes = 64 * 1024;
  if (text.size() > kMaxPemBytes) return nullptr;
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

Result<std::string> bio_text(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  if (n <= 0 || data == nullptr) return openssl_failure(ErrorCode::kInternalError, "could not write PEM");
  return std::string(data, static_cast<std::size_t>(n));
}

// Only P-256 keys are lab keys: anything else is refused where it enters.
Status check_p256(const EVP_PKEY* key, std::string_view what) {
  char group[64] = {};
  std::size_t len = 0;
  if (EVP_PKEY_is_a(key, "EC") != 1 ||
      EVP_PKEY_get_group_name(key, group, sizeof group, &len) != 1 ||
      (std::string_view(group, len) != "prime256v1" && std::string_view(group, len) != "P-256")) {
    return openssl_failure(ErrorCode::kInvalidField, std::string(what) + " is not an ECDSA P-256 key");
  }
  return ok_status();
}

Result<VerifyKey> checked_public(EvpPkeyPtr key, std::string_view what, auto make) {
  if (!key) return openssl_failure(ErrorCode::kInvalidField, std::string(what) + " could not be parsed");
  if (auto ok = check_p256(key.get(), what); !ok) return ok.error();
  return make(std::move(key));
}

}  // namespace

Error openssl_failure(ErrorCode code, std::string message) {
  ERR_clear_error();
  return Error{code, std::move(message)};
}

// --- SigningKey ----------------------------------------------------------------

Result<SigningKey> SigningKey::generate() {
  EvpPkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return openssl_failure(ErrorCode::kInternalError, "P-256 key generation failed");
  return SigningKey(std::move(key));
}

Result<SigningKey> SigningKey::from_pem(std::string_view pem) {
  BioPtr bio = read_bio(pem);
  if (!bio) return openssl_failure(ErrorCode::kInvalidField, "PEM text is too large");
  EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, &no_passphrase, nullptr));
  if (!key) return openssl_failure(ErrorCode::kInvalidField, "private key: not an unencrypted PEM private key");
  if (auto ok = check_p256(key.get(), "private key"); !ok) return ok.error();
  return SigningKey(std::move(key));
}

Result<std::string> SigningKey::to_pem() const {
  if (!key_) return openssl_failure(ErrorCode::kInternalError, "empty signing key");
  BioPtr bio(BIO_new(BIO_s_secmem()));  // the buffer is wiped when freed
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return openssl_failure(ErrorCode::kInternalError, "could not write the private key");
  }
  return bio_text(bio.get());
}

Result<std::string> SigningKey::sign(std::string_view message) const {
  if (!key_) return openssl_failure(ErrorCode::kInternalError, "empty signing key");
  MdCtxPtr ctx(EVP_MD_CTX_new());
  std::size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, nullptr, 0) != 1) {
    return openssl_failure(ErrorCode::kInternalError, "ECDSA signing failed");
  }
  std::string signature(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &len,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
    return openssl_failure(ErrorCode::kInternalError, "ECDSA signing failed");
  }
  signature.resize(len);
  return signature;
}

Result<VerifyKey> SigningKey::public_key() const {
  if (!key_) return openssl_failure(ErrorCode::kInternalError, "empty signing key");
  // Through the DER SubjectPublicKeyInfo, so the VerifyKey holds no private half.
  unsigned char* der = nullptr;
  const int n = i2d_PUBKEY(key_.get(), &der);
  if (n <= 0) return openssl_failure(ErrorCode::kInternalError, "could not export the public key");
  const unsigned char* p = der;
  EvpPkeyPtr pub(d2i_PUBKEY(nullptr, &p, n));
  OPENSSL_free(der);
  return checked_public(std::move(pub), "public key", [](EvpPkeyPtr k) { return VerifyKey(std::move(k)); });
}

// --- VerifyKey -----------------------------------------------------------------

Result<VerifyKey> VerifyKey::from_pem(std::string_view pem) {
  BioPtr bio = read_bio(pem);
  if (!bio) return openssl_failure(ErrorCode::kInvalidField, "PEM text is too large");
  EvpPkeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, &no_passphrase, nullptr));
  return checked_public(std::move(key), "public key", [](EvpPkeyPtr k) { return VerifyKey(std::move(k)); });
}

Result<VerifyKey> VerifyKey::from_certificate_pem(std::string_view certificate_pem) {
  BioPtr bio = read_bio(certificate_pem);
  if (!bio) return openssl_failure(ErrorCode::kInvalidField, "PEM text is too large");
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, &no_passphrase, nullptr));
  if (!cert) return openssl_failure(ErrorCode::kInvalidField, "certificate could not be parsed");
  return from_certificate(cert.get());
}

Result<VerifyKey> VerifyKey::from_certificate(const X509* certificate) {
  EVP_PKEY* key = certificate ? X509_get0_pubkey(certificate) : nullptr;
  if (key == nullptr || EVP_PKEY_up_ref(key) != 1) {
    return openssl_failure(ErrorCode::kInvalidField, "certificate has no readable public key");
  }
  return checked_public(EvpPkeyPtr(key), "certificate key", [](EvpPkeyPtr k) { return VerifyKey(std::move(k)); });
}

VerifyKey::VerifyKey(const VerifyKey& other) : key_(nullptr) { *this = other; }

VerifyKey& VerifyKey::operator=(const VerifyKey& other) {
  if (this != &other) {
    EVP_PKEY* shared = other.key_.get();
    if (shared != nullptr && EVP_PKEY_up_ref(shared) != 1) shared = nullptr;
    key_.reset(shared);
  }
  return *this;
}

Result<std::string> VerifyKey::to_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!key_ || !bio || PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1) {
    return openssl_failure(ErrorCode::kInternalError, "could not write the public key");
  }
  return bio_text(bio.get());
}

bool VerifyKey::verify(std::string_view message, std::string_view der_signature) const {
  if (!key_ || der_signature.empty() || der_signature.size() > kMaxDerSignatureBytes) return false;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  const bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) == 1 &&
                  EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(der_signature.data()),
                                   der_signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                                   message.size()) == 1;
  if (!ok) ERR_clear_error();
  return ok;
}

}  // namespace lab::security

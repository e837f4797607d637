#include "security/lab_ca.h"

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "core/file_io.h"
#include "security/hex.h"

namespace lab::security {
namespace {

namespace fs = std::filesystem;
using BnPtr = OpenSslPtr<BIGNUM, BN_free>;
using ExtensionPtr = OpenSslPtr<X509_EXTENSION, X509_EXTENSION_free>;
using NamesPtr = OpenSslPtr<GENERAL_NAMES, GENERAL_NAMES_free>;
using StorePtr = OpenSslPtr<X509_STORE, X509_STORE_free>;
using StoreCtxPtr = OpenSslPtr<X509_STORE_CTX, X509_STORE_CTX_free>;

constexpr std::string_view kCaCommonName = "Session Security Lab CA";
constexpr std::string_view kAgentUriPrefix = "urn:lab:agent:";
constexpr int kCaValidityDays = 730;
constexpr int kLeafValidityDays = 30;
constexpr long kBackdateSeconds = 300;  // tolerates a peer whose clock is a little behind
constexpr std::size_t kMaxAgentIdChars = 64;

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// A DNS name: dot-separated labels of letters, digits and inner hyphens.
Status check_host(std::string_view host) {
  const Error bad{ErrorCode::kInvalidField, "server name must be a DNS name (letters, digits, '-' and '.')"};
  if (host.empty() || host.size() > 253 || host == "ca") return bad;
  std::size_t start = 0;
  while (start <= host.size()) {
    const std::size_t end = std::min(host.find('.', start), host.size());
    const std::string_view label = host.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return bad;
    for (char c : label) {
      if (!is_alnum(c) && c != '-') return bad;
    }
    start = end + 1;
  }
  return ok_status();
}

Result<X509Ptr> parse_certificate(std::string_view pem, std::string_view what) {
  BioPtr bio(pem.size() <= 64 * 1024 ? BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())) : nullptr);
  X509Ptr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!cert) return openssl_failure(ErrorCode::kInvalidField, std::string(what) + " is not a PEM certificate");
  return cert;
}

Result<std::string> certificate_to_pem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  char* data = nullptr;
  const long n = bio && PEM_write_bio_X509(bio.get(), cert) == 1 ? BIO_get_mem_data(bio.get(), &data) : 0;
  if (n <= 0 || data == nullptr) return openssl_failure(ErrorCode::kInternalError, "could not write a certificate");
  return std::string(data, static_cast<std::size_t>(n));
}

// One extension in openssl.cnf syntax ("critical,CA:TRUE"); values only ever
// hold checked names, so no text from outside can add a field.
Status add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  ExtensionPtr ext(X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value.c_str()));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
    return openssl_failure(ErrorCode::kInternalError, "could not add certificate extension " + value);
  }
  return ok_status();
}

struct CertificateSpec {
  std::string_view common_name;
  int validity_days;
  std::vector<std::pair<int, std::string>> extensions;
};

// A certificate for `subject_key`, signed by `issuer` (null: self-signed with
// the subject key). It never outlives its issuer.
Result<X509Ptr> build_certificate(const CertificateSpec& spec, EVP_PKEY* subject_key, X509* issuer,
                                  EVP_PKEY* issuer_key) {
  X509Ptr cert(X509_new());
  BnPtr serial(BN_new());
  const auto cn = reinterpret_cast<const unsigned char*>(spec.common_name.data());
  bool ok = cert && serial && X509_set_version(cert.get(), X509_VERSION_3) == 1 &&
            BN_rand(serial.get(), 128, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) == 1 &&
            BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) != nullptr &&
            X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kBackdateSeconds) != nullptr &&
            X509_time_adj_ex(X509_getm_notAfter(cert.get()), spec.validity_days, 0, nullptr) != nullptr &&
            X509_set_pubkey(cert.get(), subject_key) == 1 &&
            X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_ASC, cn,
                                       static_cast<int>(spec.common_name.size()), -1, 0) == 1;
  if (ok && issuer != nullptr && ASN1_TIME_compare(X509_get0_notAfter(cert.get()), X509_get0_notAfter(issuer)) > 0) {
    ok = X509_set1_notAfter(cert.get(), X509_get0_notAfter(issuer)) == 1;
  }
  X509* signer = issuer != nullptr ? issuer : cert.get();
  ok = ok && X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)) == 1;
  if (!ok) return openssl_failure(ErrorCode::kInternalError, "could not build a certificate");
  for (const auto& [nid, value] : spec.extensions) {
    if (auto added = add_extension(cert.get(), signer, nid, value); !added) return added.error();
  }
  if (X509_sign(cert.get(), issuer_key, EVP_sha256()) <= 0) {
    return openssl_failure(ErrorCode::kInternalError, "could not sign a certificate");
  }
  return cert;
}

// The certificate first, then its key with mode 0600, each replaced atomically.
Status write_pair(const fs::path& cert_path, const fs::path& key_path, X509* cert, const SigningKey& key) {
  auto cert_pem = certificate_to_pem(cert);
  if (!cert_pem) return cert_pem.error();
  if (auto why = replace_file_atomically(cert_path, *cert_pem, 0644)) {
    return openssl_failure(ErrorCode::kInternalError, *why);
  }
  auto key_pem = key.to_pem();
  if (!key_pem) return key_pem.error();
  auto why = replace_file_atomically(key_path, *key_pem, 0600);
  OPENSSL_cleanse(key_pem->data(), key_pem->size());
  if (why) return openssl_failure(ErrorCode::kInternalError, *why);
  std::error_code ec;  // the mode asked for even if an old temporary file had another
  fs::permissions(key_path, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace, ec);
  if (ec) {
    return openssl_failure(ErrorCode::kInternalError,
                           "cannot set the mode of " + key_path.string() + ": " + ec.message());
  }
  return ok_status();
}

Status make_directory(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return openssl_failure(ErrorCode::kInternalError, "cannot create " + dir.string() + ": " + ec.message());
  return ok_status();
}

// Why X509_verify_cert refused, in the lab's words.
std::string chain_refusal(int error) {
  const std::string detail = std::string(" (") + X509_verify_cert_error_string(error) + ")";
  switch (error) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
      return "certificate is not issued by the lab CA" + detail;
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return "certificate has expired" + detail;
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return "certificate is not valid yet" + detail;
    case X509_V_ERR_INVALID_PURPOSE:
      return "certificate is not valid for TLS client authentication (no clientAuth)" + detail;
    default:
      return "certificate does not verify" + detail;
  }
}

// The one agent id named by a SAN URI urn:lab:agent:<id>.
Result<std::string> agent_id_of(X509* cert) {
  NamesPtr names(static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  std::vector<std::string> ids;
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type != GEN_URI) continue;
    const ASN1_IA5STRING* uri = name->d.uniformResourceIdentifier;
    const std::string_view text(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                                static_cast<std::size_t>(ASN1_STRING_length(uri)));
    if (text.starts_with(kAgentUriPrefix)) ids.emplace_back(text.substr(kAgentUriPrefix.size()));
  }
  if (ids.empty()) {
    return openssl_failure(ErrorCode::kInvalidField,
                           "certificate names no agent (no subjectAltName URI urn:lab:agent:<id>)");
  }
  if (ids.size() > 1) return openssl_failure(ErrorCode::kInvalidField, "certificate names more than one agent");
  if (!check_agent_id(ids.front())) {
    return openssl_failure(ErrorCode::kInvalidField, "certificate names an invalid agent id");
  }
  return ids.front();
}

}  // namespace

Status check_agent_id(std::string_view agent_id) {
  bool ok = !agent_id.empty() && agent_id.size() <= kMaxAgentIdChars && is_alnum(agent_id.front()) && agent_id != "ca";
  for (char c : agent_id) ok = ok && (is_alnum(c) || c == '_' || c == '.' || c == '-');
  if (!ok) {
    return Error{ErrorCode::kInvalidField,
                 "agent id must be 1-64 characters of A-Z a-z 0-9 _ . - starting with a letter or digit (not \"ca\")"};
  }
  return ok_status();
}

std::string certificate_fingerprint(const X509* certificate) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (certificate == nullptr || X509_digest(certificate, EVP_sha256(), md, &len) != 1) {
    ERR_clear_error();
    return {};
  }
  return hex_encode(md, len);
}

// --- LabCa ---------------------------------------------------------------------

Result<LabCa> LabCa::create(const fs::path& dir) {
  if (auto made = make_directory(dir); !made) return made.error();
  std::error_code ec;
  if (fs::exists(dir / "ca.key", ec)) {
    return openssl_failure(ErrorCode::kInvalidField,
                           "a lab CA already exists in " + dir.string() + " (ca.key): load it instead");
  }
  auto key = SigningKey::generate();
  if (!key) return key.error();
  const CertificateSpec spec{kCaCommonName, kCaValidityDays,
                             {{NID_basic_constraints, "critical,CA:TRUE"},
                              {NID_key_usage, "critical,keyCertSign,cRLSign"},
                              {NID_subject_key_identifier, "hash"}}};
  auto cert = build_certificate(spec, key->native_handle(), nullptr, key->native_handle());
  if (!cert) return cert.error();
  if (auto written = write_pair(dir / "ca.crt", dir / "ca.key", cert->get(), *key); !written) return written.error();
  auto pem = certificate_to_pem(cert->get());
  if (!pem) return pem.error();
  return LabCa(dir, std::move(key).value(), std::move(cert).value(), std::move(pem).value());
}

Result<LabCa> LabCa::load(const fs::path& dir) {
  auto key_pem = read_file(dir / "ca.key");
  auto cert_pem = read_file(dir / "ca.crt");
  if (!key_pem || !cert_pem) {
    return openssl_failure(ErrorCode::kInvalidField,
                           "no lab CA in " + dir.string() + " (cannot read ca.key and ca.crt)");
  }
  auto key = SigningKey::from_pem(*key_pem);
  OPENSSL_cleanse(key_pem->data(), key_pem->size());
  if (!key) return openssl_failure(ErrorCode::kInvalidField, "ca.key: " + key.error().message);
  auto cert = parse_certificate(*cert_pem, "ca.crt");
  if (!cert) return cert.error();
  if (X509_check_ca(cert->get()) == 0) {
    return openssl_failure(ErrorCode::kInvalidField, "ca.crt is not a CA certificate");
  }
  if (X509_check_private_key(cert->get(), key->native_handle()) != 1) {
    return openssl_failure(ErrorCode::kInvalidField, "ca.key does not match ca.crt");
  }
  return LabCa(dir, std::move(key).value(), std::move(cert).value(), std::move(cert_pem).value());
}

Result<IssuedCertificate> LabCa::issue_agent(std::string_view agent_id, const fs::path& dir) const {
  if (auto ok = check_agent_id(agent_id); !ok) return ok.error();
  return issue(agent_id, false, dir);
}

Result<IssuedCertificate> LabCa::issue_server(std::string_view host, const fs::path& dir) const {
  if (auto ok = check_host(host); !ok) return ok.error();
  return issue(host, true, dir);
}

// `name` is checked by the caller: an agent id or a DNS name.
Result<IssuedCertificate> LabCa::issue(std::string_view name, bool server, const fs::path& dir) const {
  if (auto made = make_directory(dir); !made) return made.error();
  auto key = SigningKey::generate();
  if (!key) return key.error();
  const std::string id(name);
  std::string san = "URI:" + std::string(kAgentUriPrefix) + id;
  if (server) san = (id == "localhost" ? "" : "DNS:" + id + ",") + "DNS:localhost,IP:127.0.0.1";
  const CertificateSpec spec{name, kLeafValidityDays,
                             {{NID_basic_constraints, "critical,CA:FALSE"},
                              {NID_key_usage, "critical,digitalSignature"},
                              {NID_ext_key_usage, server ? "serverAuth" : "clientAuth"},
                              {NID_subject_alt_name, san},
                              {NID_subject_key_identifier, "hash"},
                              {NID_authority_key_identifier, "keyid:always"}}};
  auto cert = build_certificate(spec, key->native_handle(), certificate_.get(), key_.native_handle());
  if (!cert) return cert.error();
  IssuedCertificate out{dir / (id + ".crt"), dir / (id + ".key"), certificate_fingerprint(cert->get())};
  if (auto written = write_pair(out.certificate, out.private_key, cert->get(), *key); !written) return written.error();
  return out;
}

Result<AgentIdentity> LabCa::verify_agent(std::string_view certificate_pem, Clock::TimePoint at) const {
  return verify_agent_certificate(certificate_pem_, certificate_pem, at);
}

// --- offline verification ------------------------------------------------------

Result<AgentIdentity> verify_agent_certificate(std::string_view ca_certificate_pem, X509* certificate,
                                               Clock::TimePoint at) {
  if (certificate == nullptr) return openssl_failure(ErrorCode::kInvalidField, "no certificate");
  auto ca = parse_certificate(ca_certificate_pem, "CA certificate");
  if (!ca) return ca.error();
  StorePtr store(X509_STORE_new());
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!store || !ctx || X509_STORE_add_cert(store.get(), ca->get()) != 1 ||
      X509_STORE_set_flags(store.get(), X509_V_FLAG_X509_STRICT) != 1 ||
      X509_STORE_CTX_init(ctx.get(), store.get(), certificate, nullptr) != 1 ||
      X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_CLIENT) != 1) {
    return openssl_failure(ErrorCode::kInternalError, "could not set up certificate verification");
  }
  X509_STORE_CTX_set_time(ctx.get(), 0, std::chrono::system_clock::to_time_t(at));
  if (X509_verify_cert(ctx.get()) != 1) {
    return openssl_failure(ErrorCode::kInvalidField, chain_refusal(X509_STORE_CTX_get_error(ctx.get())));
  }
  if (X509_check_ca(certificate) != 0) {
    return openssl_failure(ErrorCode::kInvalidField, "a CA certificate is not an agent certificate");
  }
  auto agent_id = agent_id_of(certificate);
  if (!agent_id) return agent_id.error();
  return AgentIdentity{std::move(agent_id).value(), certificate_fingerprint(certificate)};
}

Result<std::string> certificate_pem_fingerprint(std::string_view certificate_pem) {
  auto cert = parse_certificate(certificate_pem, "certificate");
  if (!cert) return cert.error();
  return certificate_fingerprint(cert->get());
}

Result<AgentIdentity> verify_agent_certificate(std::string_view ca_certificate_pem, std::string_view certificate_pem,
                                               Clock::TimePoint at) {
  auto cert = parse_certificate(certificate_pem, "agent certificate");
  if (!cert) return cert.error();
  return verify_agent_certificate(ca_certificate_pem, cert->get(), at);
}

Result<AgentIdentity> verify_agent_certificate_file(const fs::path& ca_certificate, const fs::path& certificate,
                                                    Clock::TimePoint at) {
  const auto ca_pem = read_file(ca_certificate);
  if (!ca_pem) return openssl_failure(ErrorCode::kInvalidField, "cannot read " + ca_certificate.string());
  const auto pem = read_file(certificate);
  if (!pem) return openssl_failure(ErrorCode::kInvalidField, "cannot read " + certificate.string());
  return verify_agent_certificate(*ca_pem, *pem, at);
}

}  // namespace lab::security

// The lab's certificate authority (stage 3). One P-256 CA issues a client
// certificate to every agent and a server certificate to the coordinator;
// mutual TLS then proves which agent is at the other end of a connection,
// and the certificate's public key verifies that agent's request signatures.
//
//   ca.key / ca.crt        the CA (key mode 0600), CN "Session Security Lab CA", 2 years
//   <agent_id>.key / .crt  CN=<agent_id>, SAN URI:urn:lab:agent:<agent_id>, clientAuth, 30 days
//   <host>.key / .crt      CN=<host>, SAN DNS:<host>, DNS:localhost, IP:127.0.0.1, serverAuth, 30 days
//
// Names become certificate fields and file names, so they are checked first:
// an agent id is 1-64 characters of [A-Za-z0-9_.-] starting with a letter or
// a digit, and "ca" is reserved for the CA's own files.
#pragma once

#include <openssl/x509.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "security/ecdsa.h"

namespace lab::security {

// INVALID_FIELD unless `agent_id` may name an agent's certificate and files.
Status check_agent_id(std::string_view agent_id);

// Lower-case hex SHA-256 of the certificate's DER: `openssl x509 -fingerprint
// -sha256` without the colons. The id a binding control compares.
std::string certificate_fingerprint(const X509* certificate);

// The same fingerprint from a certificate's PEM text (a client naming its own key id).
Result<std::string> certificate_pem_fingerprint(std::string_view certificate_pem);

// What a verified agent certificate says.
struct AgentIdentity {
  std::string agent_id;     // from the SAN URI urn:lab:agent:<agent_id>
  std::string fingerprint;  // certificate_fingerprint
};

// Files written by an issue_* call.
struct IssuedCertificate {
  std::filesystem::path certificate;  // PEM, mode 0644
  std::filesystem::path private_key;  // PKCS#8 PEM, mode 0600
  std::string fingerprint;
};

class LabCa {
 public:
  // A new CA in `dir` (created if missing). Refuses to replace an existing
  // ca.key: every certificate it issued would stop verifying.
  static Result<LabCa> create(const std::filesystem::path& dir);
  // The CA written by create(); its key must match its certificate.
  static Result<LabCa> load(const std::filesystem::path& dir);

  LabCa(LabCa&&) noexcept = default;
  LabCa& operator=(LabCa&&) noexcept = default;

  // Writes <agent_id>.key and <agent_id>.crt into `dir`, replacing earlier ones.
  Result<IssuedCertificate> issue_agent(std::string_view agent_id, const std::filesystem::path& dir) const;
  // Writes <host>.key and <host>.crt into `dir`; `host` is a DNS name.
  Result<IssuedCertificate> issue_server(std::string_view host, const std::filesystem::path& dir) const;

  const std::string& certificate_pem() const { return certificate_pem_; }
  std::filesystem::path certificate_path() const { return dir_ / "ca.crt"; }
  // verify_agent_certificate against this CA.
  Result<AgentIdentity> verify_agent(std::string_view certificate_pem,
                                     Clock::TimePoint at = std::chrono::system_clock::now()) const;

 private:
  LabCa(std::filesystem::path dir, SigningKey key, X509Ptr certificate, std::string certificate_pem)
      : dir_(std::move(dir)), key_(std::move(key)), certificate_(std::move(certificate)),
        certificate_pem_(std::move(certificate_pem)) {}
  Result<IssuedCertificate> issue(std::string_view name, bool server, const std::filesystem::path& dir) const;

  std::filesystem::path dir_;
  SigningKey key_;
  X509Ptr certificate_;
  std::string certificate_pem_;
};

// Checks offline, at time `at`, that `certificate` is an agent certificate of
// the lab CA: it chains to the CA, is within its validity, is not a CA, is
// valid for TLS client authentication and names exactly one agent in a SAN
// URI urn:lab:agent:<id>. The first argument is the CA certificate as PEM
// text (verify_agent_certificate_file reads both from files). A refusal is
// INVALID_FIELD with a message that says why.
Result<AgentIdentity> verify_agent_certificate(std::string_view ca_certificate_pem, std::string_view certificate_pem,
                                               Clock::TimePoint at = std::chrono::system_clock::now());
Result<AgentIdentity> verify_agent_certificate(std::string_view ca_certificate_pem, X509* certificate,
                                               Clock::TimePoint at = std::chrono::system_clock::now());
Result<AgentIdentity> verify_agent_certificate_file(const std::filesystem::path& ca_certificate,
                                                    const std::filesystem::path& certificate,
                                                    Clock::TimePoint at = std::chrono::system_clock::now());

}  // namespace lab::security

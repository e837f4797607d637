// AgentKeys: the verification keys of agents whose certificates the lab CA
// vouched for, each parsed once and then looked up by certificate
// fingerprint (the key id a signed request names). A certificate is admitted
// only after verify_agent_certificate accepted it; what was admitted stays
// until the process ends or forget() is called (a revoked agent).
// Thread-safe: admissions are rare, lookups happen on every request.
#pragma once

#include "security/certificate_shelf.h"

#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"
#include "core/result.h"
#include "security/ecdsa.h"
#include "security/lab_ca.h"

namespace lab::security {

struct AdmittedAgent {
  AgentIdentity identity;  // agent id and certificate fingerprint
  VerifyKey key;
};

class AgentKeys {
 public:
  explicit AgentKeys(std::string ca_certificate_pem) : ca_pem_(std::move(ca_certificate_pem)) {}
  // Sharing what it admits on `shelf`, and looking there for a fingerprint it has not admitted itself (verified
  // against the CA at `clock`'s now before its key is used).
  AgentKeys(std::string ca_certificate_pem, std::shared_ptr<CertificateShelf> shelf, const Clock& clock)
      : ca_pem_(std::move(ca_certificate_pem)), shelf_(std::move(shelf)), clock_(&clock) {}

  // Verifies `certificate_pem` against the CA at `now` and keeps its key. INVALID_FIELD says why a
  // certificate was refused.
  Result<std::shared_ptr<const AdmittedAgent>> admit(std::string_view certificate_pem, Clock::TimePoint now);
  // The agent admitted with this certificate fingerprint (here, or by another instance through the shelf), or null.
  std::shared_ptr<const AdmittedAgent> find(std::string_view fingerprint) const;
  void forget(std::string_view fingerprint);
  std::size_t size() const;

 private:
  std::shared_ptr<const AdmittedAgent> keep(AgentIdentity identity, std::string_view certificate_pem) const;

  const std::string ca_pem_;
  std::shared_ptr<CertificateShelf> shelf_;
  const Clock* clock_ = nullptr;
  mutable std::shared_mutex mutex_;
  mutable std::unordered_map<std::string, std::shared_ptr<const AdmittedAgent>> by_fingerprint_;
};

}  // namespace lab::security

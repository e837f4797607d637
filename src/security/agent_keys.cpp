#include "security/agent_keys.h"

#include <mutex>

namespace lab::security {

Result<std::shared_ptr<const AdmittedAgent>> AgentKeys::admit(std::string_view certificate_pem, Clock::TimePoint now) {
  auto identity = verify_agent_certificate(ca_pem_, certificate_pem, now);
  if (!identity) return identity.error();
  {
    std::shared_lock lock(mutex_);
    const auto it = by_fingerprint_.find(identity->fingerprint);
    if (it != by_fingerprint_.end()) return it->second;  // parsed once per certificate
  }
  auto agent = keep(std::move(*identity), certificate_pem);
  if (!agent) return Error{ErrorCode::kInvalidField, "the certificate's key cannot be read"};
  if (shelf_) shelf_->put(agent->identity.fingerprint, certificate_pem);
  return agent;
}

std::shared_ptr<const AdmittedAgent> AgentKeys::keep(AgentIdentity identity, std::string_view certificate_pem) const {
  auto key = VerifyKey::from_certificate_pem(certificate_pem);
  if (!key) return nullptr;
  auto agent = std::make_shared<const AdmittedAgent>(AdmittedAgent{std::move(identity), std::move(*key)});
  std::unique_lock lock(mutex_);
  return by_fingerprint_.try_emplace(agent->identity.fingerprint, agent).first->second;
}

std::shared_ptr<const AdmittedAgent> AgentKeys::find(std::string_view fingerprint) const {
  {
    std::shared_lock lock(mutex_);
    const auto it = by_fingerprint_.find(std::string(fingerprint));
    if (it != by_fingerprint_.end()) return it->second;
  }
  if (!shelf_) return nullptr;
  const auto pem = shelf_->get(fingerprint);
  if (!pem) return nullptr;
  // Another instance admitted it; this one trusts the CA, not the shelf.
  auto identity = verify_agent_certificate(ca_pem_, *pem, clock_->now());
  if (!identity || identity->fingerprint != fingerprint) return nullptr;
  return keep(std::move(*identity), *pem);
}

void AgentKeys::forget(std::string_view fingerprint) {
  std::unique_lock lock(mutex_);
  by_fingerprint_.erase(std::string(fingerprint));
}

std::size_t AgentKeys::size() const {
  std::shared_lock lock(mutex_);
  return by_fingerprint_.size();
}

}  // namespace lab::security

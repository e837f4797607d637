#include "security/agent_keys.h"

#include <mutex>

namespace lab::security {

Result<std::shared_ptr<const AdmittedAgent>> AgentKeys::admit(std::string_view certificate_pem, Clock::TimePoint now) {
  auto identity = verify_agent_certificate(ca_pem_, certificate_pem, now);
  if (!identity) return identity.error();
  if (auto known = find(identity->fingerprint)) return known;  // parsed once per certificate
  auto key = VerifyKey::from_certificate_pem(certificate_pem);
  if (!key) return key.error();
  auto agent = std::make_shared<const AdmittedAgent>(AdmittedAgent{std::move(*identity), std::move(*key)});
  std::unique_lock lock(mutex_);
  return by_fingerprint_.try_emplace(agent->identity.fingerprint, agent).first->second;
}

std::shared_ptr<const AdmittedAgent> AgentKeys::find(std::string_view fingerprint) const {
  std::shared_lock lock(mutex_);
  const auto it = by_fingerprint_.find(std::string(fingerprint));
  return it == by_fingerprint_.end() ? nullptr : it->second;
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

// RequestSignatureGuard: every request of a session carries an ECDSA P-256
// signature (security/signed_request.h) by the key of the certificate the
// session was opened with; the key comes from AgentKeys, parsed once per
// certificate. A missing, malformed or wrong signature, or one by another
// certificate's key, is refused: an altered request never runs.
#pragma once

#include "coordinator/policy_guards.h"
#include "security/agent_keys.h"

namespace lab::coordinator {

class RequestSignatureGuard final : public LabelledGuard {
 public:
  RequestSignatureGuard(const security::AgentKeys& keys, ControlLabel label)
      : LabelledGuard(std::move(label)), keys_(keys) {}
  Phase phase() const override { return Phase::kAuthentication; }  // after the session guard found the caller
  Verdict check(GuardContext& context) override;

 private:
  const security::AgentKeys& keys_;
};

}  // namespace lab::coordinator

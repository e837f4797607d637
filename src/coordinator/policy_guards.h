// Guards over the stage's policies: the per-request part of a SessionPolicy
// (who is calling), of an AccessPolicy (may they) and of a ValidationPolicy
// (is the input acceptable), each a named control in the chain. A stage adds
// them when it composes its chain, with the name it shows in `lab controls`
// and the catalog ids whose FIX marker sits in the policy.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "coordinator/guard.h"
#include "coordinator/policies.h"

namespace lab::coordinator {

// The name and catalog ids a stage gives one of its controls.
struct ControlLabel {
  std::string name;
  std::vector<std::string> fixes;
};

// Authentication: sets the context's caller from SessionPolicy::authenticate.
class SessionGuard final : public Guard {
 public:
  SessionGuard(SessionPolicy& policy, ControlLabel label) : policy_(policy), label_(std::move(label)) {}
  std::string_view name() const override { return label_.name; }
  Phase phase() const override { return Phase::kAuthentication; }
  std::vector<std::string> fixes() const override { return label_.fixes; }
  Verdict check(GuardContext& context) override;

 private:
  SessionPolicy& policy_;
  ControlLabel label_;
};

// Authorization: AccessPolicy::authorize for the caller and the operation.
class AccessGuard final : public Guard {
 public:
  AccessGuard(AccessPolicy& policy, ControlLabel label) : policy_(policy), label_(std::move(label)) {}
  std::string_view name() const override { return label_.name; }
  Phase phase() const override { return Phase::kAuthorization; }
  std::vector<std::string> fixes() const override { return label_.fixes; }
  Verdict check(GuardContext& context) override;

 private:
  AccessPolicy& policy_;
  ControlLabel label_;
};

// Payload: ValidationPolicy::check_payload (runs for login too).
class PayloadRulesGuard final : public Guard {
 public:
  using Check = std::function<Status(std::string_view operation, const Json& payload)>;
  PayloadRulesGuard(Check check, ControlLabel label) : check_(std::move(check)), label_(std::move(label)) {}
  std::string_view name() const override { return label_.name; }
  Phase phase() const override { return Phase::kPayload; }
  std::vector<std::string> fixes() const override { return label_.fixes; }
  Verdict check(GuardContext& context) override;

 private:
  Check check_;
  ControlLabel label_;
};

}  // namespace lab::coordinator

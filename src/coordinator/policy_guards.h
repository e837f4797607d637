// Guards over the stage's policies: the per-request part of a SessionPolicy
// (who is calling), of an AccessPolicy (may they) and the stage's payload
// rules (is the input acceptable), each a named control in the chain. A stage adds
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

// A guard whose name and catalog ids the stage gives when it composes its chain.
class LabelledGuard : public Guard {
 public:
  explicit LabelledGuard(ControlLabel label) : label_(std::move(label)) {}
  std::string_view name() const final { return label_.name; }
  std::vector<std::string> fixes() const final { return label_.fixes; }

 private:
  ControlLabel label_;
};

// Authentication: sets the context's caller from SessionPolicy::authenticate.
class SessionGuard final : public LabelledGuard {
 public:
  SessionGuard(SessionPolicy& policy, ControlLabel label) : LabelledGuard(std::move(label)), policy_(policy) {}
  Phase phase() const override { return Phase::kAuthentication; }
  Verdict check(GuardContext& context) override;

 private:
  SessionPolicy& policy_;
};

// Authorization: AccessPolicy::authorize for the caller and the operation's permission.
class AccessGuard final : public LabelledGuard {
 public:
  AccessGuard(AccessPolicy& policy, ControlLabel label) : LabelledGuard(std::move(label)), policy_(policy) {}
  Phase phase() const override { return Phase::kAuthorization; }
  Verdict check(GuardContext& context) override;

 private:
  AccessPolicy& policy_;
};

// Payload: content rules beyond the types (runs for login too).
class PayloadRulesGuard final : public LabelledGuard {
 public:
  using Check = std::function<Status(std::string_view operation, const Json& payload)>;
  PayloadRulesGuard(Check check, ControlLabel label) : LabelledGuard(std::move(label)), check_(std::move(check)) {}
  Phase phase() const override { return Phase::kPayload; }
  Verdict check(GuardContext& context) override;

 private:
  Check check_;
};

}  // namespace lab::coordinator

// RateLimitGuard: a token bucket per client address (before anything else is
// known) or per agent (once the caller is), for every operation or only for
// logins. A request over its budget is refused with RATE_LIMITED and the delay
// after which it would pass ("retry after N ms").
#pragma once

#include "coordinator/policy_guards.h"
#include "security/rate_budget.h"

namespace lab::coordinator {

enum class RateKey { kAddress, kAgent };
enum class RateScope { kEveryRequest, kLoginOnly };

class RateLimitGuard final : public LabelledGuard {
 public:
  RateLimitGuard(security::RateBudget& limiter, RateKey key, RateScope scope, ControlLabel label)
      : LabelledGuard(std::move(label)), limiter_(limiter), key_(key), scope_(scope) {}
  Phase phase() const override { return key_ == RateKey::kAgent ? Phase::kBinding : Phase::kBeforeAuthentication; }
  Verdict check(GuardContext& context) override;

 private:
  security::RateBudget& limiter_;
  RateKey key_;
  RateScope scope_;
};

}  // namespace lab::coordinator

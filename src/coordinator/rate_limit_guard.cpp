#include "coordinator/rate_limit_guard.h"

namespace lab::coordinator {

Verdict RateLimitGuard::check(GuardContext& context) {
  if (scope_ == RateScope::kLoginOnly && context.permission != Permission::kSessionOpen) return std::nullopt;
  if (key_ == RateKey::kAgent && !context.caller) return std::nullopt;
  const std::string& key = key_ == RateKey::kAgent ? context.caller->agent_id : context.origin.peer.address;
  // FIX V-023: token buckets per address and per agent; a flood or a guessing run is slowed to the budget.
  const auto decision = limiter_.take(key);
  if (decision.allowed) return std::nullopt;
  const auto ms = std::to_string(decision.retry_after.count());
  return Rejection{Error{ErrorCode::kRateLimited, "rate limit reached; retry after " + ms + " ms"},
                   std::string(name()) + ": " + key + " over budget on " + context.request.type};
}

}  // namespace lab::coordinator

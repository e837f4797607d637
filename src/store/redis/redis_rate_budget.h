// RedisRateBudget: stage 4's rate limits. One token bucket per key in Redis (`<prefix>rate:<name>:<key>`),
// refilled on Redis's own clock (TIME inside the function), so three coordinator instances share one budget and
// one clock: spreading requests over the instances buys nothing. A Redis that cannot be asked refuses (fail
// closed) with a short retry.
#pragma once

#include <string>

#include "security/rate_budget.h"
#include "security/rate_limiter.h"
#include "store/redis/redis_store_options.h"

namespace lab::store {

class RedisRateBudget final : public security::RateBudget {
 public:
  // `name` keeps this budget's buckets apart from the others' ("address", "login", "agent").
  RedisRateBudget(RedisStoreOptions options, std::string name, security::RateLimitOptions limits)
      : options_(std::move(options)), name_(std::move(name)), limits_(limits) {}

  [[nodiscard]] security::RateDecision take(std::string_view key, double cost = 1) override;

 private:
  RedisStoreOptions options_;
  std::string name_;
  security::RateLimitOptions limits_;
};

}  // namespace lab::store

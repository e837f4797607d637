// RateLimiter: a token bucket per key (an agent id, a client address). Each
// bucket holds up to `burst` tokens and refills at `per_second`; a request
// takes one (or `cost`) and is refused, with the time until it would be
// allowed, when the bucket is short. Buckets live only while they are below
// full: a full bucket is the same as none, so idle keys cost nothing, and the
// map is capped at `max_keys` (when that many keys are all mid-burst, a new key
// is refused: fail closed). Thread-safe; time comes from the Clock seam.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"
#include "security/rate_budget.h"

namespace lab::security {

struct RateLimitOptions {
  double per_second = 20;  // sustained rate
  double burst = 40;       // bucket size: how many at once after a quiet spell
  std::size_t max_keys = 100'000;
};

class RateLimiter final : public RateBudget {
 public:
  RateLimiter(const Clock& clock, RateLimitOptions options);

  [[nodiscard]] RateDecision take(std::string_view key, double cost = 1) override;
  // Buckets currently below full (for monitoring and tests).
  std::size_t tracked_keys() const;
  const RateLimitOptions& options() const { return options_; }

 private:
  struct Bucket {
    double tokens;
    std::int64_t updated_us;
  };
  double refilled(const Bucket& b, std::int64_t now_us) const;
  void drop_full_buckets_locked(std::int64_t now_us);

  const Clock& clock_;
  const RateLimitOptions options_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace lab::security

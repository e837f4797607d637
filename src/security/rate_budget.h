// RateBudget: a token bucket per key (an agent id, a client address). RateLimiter keeps the buckets in the
// process (stage 3); stage 4 keeps them in Redis on Redis's clock, so spreading requests over coordinator
// instances does not multiply anyone's budget. Thread-safe.
#pragma once

#include <chrono>
#include <string_view>

namespace lab::security {

struct RateDecision {
  bool allowed = false;
  std::chrono::milliseconds retry_after{0};  // when refused: how long until `cost` tokens are there
};

class RateBudget {
 public:
  virtual ~RateBudget() = default;
  // Takes `cost` tokens from `key`'s bucket, or refuses with the time until they would be there.
  [[nodiscard]] virtual RateDecision take(std::string_view key, double cost = 1) = 0;
};

}  // namespace lab::security

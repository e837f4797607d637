#include "security/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace lab::security {

namespace {
std::int64_t micros(Clock::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}
}  // namespace

RateLimiter::RateLimiter(const Clock& clock, RateLimitOptions options) : clock_(clock), options_(options) {}

double RateLimiter::refilled(const Bucket& b, std::int64_t now_us) const {
  const double elapsed_s = static_cast<double>(std::max<std::int64_t>(0, now_us - b.updated_us)) / 1e6;
  return std::min(options_.burst, b.tokens + elapsed_s * options_.per_second);
}

RateDecision RateLimiter::take(std::string_view key, double cost) {
  const std::int64_t now_us = micros(clock_.now());
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) {
    if (buckets_.size() >= options_.max_keys) drop_full_buckets_locked(now_us);
    if (buckets_.size() >= options_.max_keys) return {false, std::chrono::seconds(1)};
    it = buckets_.emplace(std::string(key), Bucket{options_.burst, now_us}).first;
  }
  Bucket& b = it->second;
  b.tokens = refilled(b, now_us);
  b.updated_us = now_us;
  if (b.tokens >= cost) {
    b.tokens -= cost;
    return {true, std::chrono::milliseconds(0)};
  }
  const double missing = cost - b.tokens;
  const auto wait_ms = static_cast<std::int64_t>(std::ceil(missing / options_.per_second * 1000.0));
  return {false, std::chrono::milliseconds(std::max<std::int64_t>(1, wait_ms))};
}

std::size_t RateLimiter::tracked_keys() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

void RateLimiter::drop_full_buckets_locked(std::int64_t now_us) {
  std::erase_if(buckets_, [&](const auto& entry) { return refilled(entry.second, now_us) >= options_.burst; });
}

}  // namespace lab::security

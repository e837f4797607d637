// Token buckets per key: bursts, refill, retry delays, and a bounded map.
#include "security/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace lab::security {
namespace {

using std::chrono::milliseconds;

TEST(RateLimiter, ABurstIsAllowedThenRefusedWithTheTimeUntilTheNextToken) {
  ManualClock clock;
  RateLimiter limiter(clock, {.per_second = 10, .burst = 5});
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.take("agent").allowed) << i;
  const auto refused = limiter.take("agent");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, milliseconds(100));
  clock.advance(milliseconds(100));
  EXPECT_TRUE(limiter.take("agent").allowed);
  EXPECT_FALSE(limiter.take("agent").allowed);
}

TEST(RateLimiter, KeysHaveTheirOwnBuckets) {
  ManualClock clock;
  RateLimiter limiter(clock, {.per_second = 1, .burst = 1});
  EXPECT_TRUE(limiter.take("127.0.0.1").allowed);
  EXPECT_FALSE(limiter.take("127.0.0.1").allowed);
  EXPECT_TRUE(limiter.take("127.0.0.2").allowed);
}

TEST(RateLimiter, AQuietSpellRefillsToTheBurstAndNoMore) {
  ManualClock clock;
  RateLimiter limiter(clock, {.per_second = 2, .burst = 3});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(limiter.take("k").allowed);
  clock.advance(std::chrono::hours(1));
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.take("k").allowed);
  EXPECT_FALSE(limiter.take("k").allowed);
}

TEST(RateLimiter, ACostlierRequestWaitsForItsWholeCost) {
  ManualClock clock;
  RateLimiter limiter(clock, {.per_second = 1, .burst = 5});
  EXPECT_TRUE(limiter.take("login", 5).allowed);
  const auto refused = limiter.take("login", 5);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, milliseconds(5000));
}

TEST(RateLimiter, IdleKeysAreForgottenAndTheMapIsBounded) {
  ManualClock clock;
  RateLimiter limiter(clock, {.per_second = 1, .burst = 1, .max_keys = 2});
  EXPECT_TRUE(limiter.take("a").allowed);
  EXPECT_TRUE(limiter.take("b").allowed);
  EXPECT_FALSE(limiter.take("c").allowed) << "two keys mid-burst fill the map: a new key is refused";
  clock.advance(milliseconds(1000));
  EXPECT_TRUE(limiter.take("c").allowed) << "full buckets are dropped to make room";
  EXPECT_LE(limiter.tracked_keys(), 2u);
}

TEST(RateLimiter, ConcurrentTakersNeverGetMoreThanTheBurst) {
  ManualClock clock;  // time stands still: no refill during the race
  RateLimiter limiter(clock, {.per_second = 1, .burst = 100});
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        if (limiter.take("shared").allowed) ++allowed;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), 100);
}

}  // namespace
}  // namespace lab::security

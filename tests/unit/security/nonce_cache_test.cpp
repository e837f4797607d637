// The nonce cache behind stage 3's replay protection.
#include "security/nonce_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace lab::security {
namespace {

using std::chrono::seconds;

class NonceCacheTest : public ::testing::Test {
 protected:
  std::int64_t now() const { return unix_seconds(clock.now()); }
  ManualClock clock;
};

TEST_F(NonceCacheTest, ANonceIsAcceptedOnceThenRefusedAsAReplay) {
  NonceCache cache(clock);
  EXPECT_EQ(cache.check_and_remember("agent-a", "n1", now()), NonceVerdict::kFresh);
  EXPECT_EQ(cache.check_and_remember("agent-a", "n1", now()), NonceVerdict::kReplayed);
  EXPECT_EQ(cache.check_and_remember("agent-b", "n1", now()), NonceVerdict::kFresh) << "nonces are per signer";
  EXPECT_EQ(cache.check_and_remember("agent-a", "n2", now()), NonceVerdict::kFresh);
}

TEST_F(NonceCacheTest, TimestampsOutsideTheSkewAreRefused) {
  clock.advance(std::chrono::minutes(10));  // the process started 10 minutes ago
  NonceCache cache(clock, {.lifetime = seconds(300), .skew = seconds(60)});
  clock.advance(std::chrono::minutes(5));
  EXPECT_EQ(cache.check_and_remember("a", "old", now() - 61), NonceVerdict::kOutsideWindow);
  EXPECT_EQ(cache.check_and_remember("a", "future", now() + 61), NonceVerdict::kOutsideWindow);
  EXPECT_EQ(cache.check_and_remember("a", "edge", now() - 60), NonceVerdict::kFresh);
}

TEST_F(NonceCacheTest, ARequestSignedBeforeTheServerStartedIsRefused) {
  const std::int64_t signed_at = now();
  clock.advance(seconds(5));
  NonceCache restarted(clock);  // a restart emptied the cache
  EXPECT_EQ(restarted.check_and_remember("a", "n", signed_at), NonceVerdict::kBeforeStart);
}

TEST_F(NonceCacheTest, ANonceIsForgottenOnlyOnceItsTimestampCanNoLongerBeAccepted) {
  NonceCache cache(clock, {.lifetime = seconds(30), .skew = seconds(60)});
  const std::int64_t created = now() + 60;  // at the far edge of the window
  EXPECT_EQ(cache.check_and_remember("a", "n", created), NonceVerdict::kFresh);
  clock.advance(seconds(119));
  EXPECT_EQ(cache.check_and_remember("a", "n", created), NonceVerdict::kReplayed);
  clock.advance(seconds(2));
  EXPECT_EQ(cache.check_and_remember("a", "n", created), NonceVerdict::kOutsideWindow);
  EXPECT_EQ(cache.size(), 0u) << "expired entries are dropped";
}

TEST_F(NonceCacheTest, AFullCacheRefusesRatherThanForgets) {
  NonceCache cache(clock, {.max_entries = 3});
  for (const char* n : {"1", "2", "3"}) EXPECT_EQ(cache.check_and_remember("a", n, now()), NonceVerdict::kFresh);
  EXPECT_EQ(cache.check_and_remember("a", "4", now()), NonceVerdict::kFull);
  EXPECT_EQ(cache.check_and_remember("a", "1", now()), NonceVerdict::kReplayed);
  clock.advance(seconds(301));
  EXPECT_EQ(cache.check_and_remember("a", "4", now()), NonceVerdict::kFresh);
}

TEST_F(NonceCacheTest, EmptyOverLongOrAmbiguousInputIsMalformed) {
  NonceCache cache(clock);
  EXPECT_EQ(cache.check_and_remember("a", "", now()), NonceVerdict::kMalformed);
  EXPECT_EQ(cache.check_and_remember("", "n", now()), NonceVerdict::kMalformed);
  EXPECT_EQ(cache.check_and_remember("a", std::string(65, 'n'), now()), NonceVerdict::kMalformed);
  EXPECT_EQ(cache.check_and_remember("a\nb", "n", now()), NonceVerdict::kMalformed);
}

TEST_F(NonceCacheTest, OfManyThreadsRacingWithTheSameNonceExactlyOneWins) {
  NonceCache cache(clock);
  for (int round = 0; round < 50; ++round) {
    std::atomic<int> fresh{0};
    std::vector<std::thread> threads;
    const std::string nonce = "race-" + std::to_string(round);
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        if (cache.check_and_remember("a", nonce, now()) == NonceVerdict::kFresh) ++fresh;
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(fresh.load(), 1);
  }
}

}  // namespace
}  // namespace lab::security

// Stage 4's optimistic admission against a real redis-server: the Redis-backed controls record steps instead of
// calling Redis, and one FCALL (admit) applies all of them or none. What a user of the stage relies on: a budget
// is never taken for a request that was not admitted, a nonce is remembered only with the rest, a record an
// instance cached is used only while Redis still holds it byte for byte, and a write asked for during the
// optimistic run abandons it instead of happening.
#include <gtest/gtest.h>

#include <chrono>

#include "core/clock.h"
#include "security/key256.h"
#include "security/sealed_record.h"
#include "stage4_distributed/redis_admission.h"
#include "store/redis/admission_recording.h"
#include "store/redis/redis_agent_store.h"
#include "store/redis/redis_functions.h"
#include "store/redis/redis_nonce_store.h"
#include "store/redis/redis_rate_budget.h"
#include "store/redis/redis_session_store.h"
#include "unit/redis/local_redis.h"

namespace lab::store {
namespace {

using namespace std::chrono_literals;

class RedisAdmissionTest : public ::testing::Test {
 protected:
  RedisStoreOptions instance() {
    return RedisStoreOptions{
        .client = client_,
        .codec = RedisRecordCodec::sealed(security::SealingKeyring::make(security::SealingKey{1, key_}).value()),
        .prefix = "lab:adm:",
        .session_idle_ttl = 60s};
  }
  std::unique_ptr<redis::RedisConnection> raw() {
    return std::move(redis::RedisConnection::open(redis_.options()).value());
  }
  static SessionRecord session(const std::string& id) {
    const std::int64_t now = unix_millis(system_clock().now());
    return SessionRecord{.id = id, .agent_id = "alice", .role = Role::kCoordinator, .created_ms = now,
                         .last_seen_ms = now, .client_address = "127.0.0.1"};
  }
  static std::int64_t now_seconds() { return unix_seconds(system_clock().now()); }

  redis::testing::LocalRedis redis_;
  std::shared_ptr<redis::RedisClient> client_ = std::make_shared<redis::RedisClient>(redis::RedisClientOptions{
      .endpoint = redis_.endpoint(),
      .credentials = redis::testing::kTestUser,
      .failover_deadline = 5000ms,
      .on_connect = [](redis::RedisConnection& c) { return load_redis_functions(c); }});
  security::Key256 key_ = security::Key256::random();
  stage4::RedisAdmission admission_{client_};
};

TEST_F(RedisAdmissionTest, AStepThatDoesNotHoldLeavesEveryOtherUntouched) {
  RedisRateBudget budget(instance(), "agent", {.per_second = 0.001, .burst = 2});
  RedisNonceStore nonces(instance());
  ASSERT_EQ(nonces.check_and_remember("k1", "used", now_seconds()), security::NonceVerdict::kFresh);

  admission_.begin();
  EXPECT_TRUE(budget.take("alice").allowed) << "recorded, assumed to hold";
  EXPECT_EQ(nonces.check_and_remember("k1", "used", now_seconds()), security::NonceVerdict::kFresh);
  EXPECT_FALSE(admission_.commit()) << "the nonce was seen before: the request is not admitted";

  // The token the refused admission would have taken is still there: a burst of 2 allows two more.
  EXPECT_TRUE(budget.take("alice").allowed);
  EXPECT_TRUE(budget.take("alice").allowed);
  EXPECT_FALSE(budget.take("alice").allowed);
}

TEST_F(RedisAdmissionTest, AnAdmittedRequestTakesItsTokensAndRemembersItsNonce) {
  RedisRateBudget budget(instance(), "agent", {.per_second = 0.001, .burst = 2});
  RedisNonceStore nonces(instance());

  admission_.begin();
  ASSERT_TRUE(budget.take("bob").allowed);
  ASSERT_EQ(nonces.check_and_remember("k2", "fresh", now_seconds()), security::NonceVerdict::kFresh);
  EXPECT_TRUE(admission_.commit());

  EXPECT_EQ(nonces.check_and_remember("k2", "fresh", now_seconds()), security::NonceVerdict::kReplayed);
  EXPECT_TRUE(budget.take("bob").allowed);
  EXPECT_FALSE(budget.take("bob").allowed) << "the admission took one of the two tokens";
}

TEST_F(RedisAdmissionTest, ACachedSessionIsUsedOnlyWhileRedisHoldsItUnchanged) {
  RedisSessionStore sessions(instance());
  ASSERT_TRUE(sessions.insert(session("s1")));
  ASSERT_TRUE(sessions.find("s1"));  // read once: now in this instance's cache

  admission_.begin();
  ASSERT_TRUE(sessions.find("s1"));
  EXPECT_TRUE(admission_.commit()) << "unchanged in Redis: admitted from the cache";

  // Someone with access to Redis flips one byte of the sealed value and keeps its version.
  auto r = raw();
  const std::string key = "lab:adm:sess:s1";
  auto data = r->command({"HGET", key, "data"});
  ASSERT_TRUE(data.ok());
  std::string edited = data->text;
  edited[edited.size() / 2] ^= 0x01;
  ASSERT_TRUE(r->command({"HSET", key, "data", edited}).ok());

  admission_.begin();
  ASSERT_TRUE(sessions.find("s1")) << "the cache still holds the copy it read";
  EXPECT_FALSE(admission_.commit()) << "the value in Redis is no longer that copy";
  EXPECT_FALSE(sessions.find("s1")) << "read the ordinary way, the edited value does not open";
}

TEST_F(RedisAdmissionTest, ASessionEndedByAnotherInstanceIsNotAdmittedFromTheCache) {
  RedisSessionStore here(instance());
  RedisSessionStore elsewhere(instance());
  ASSERT_TRUE(here.insert(session("s2")));
  ASSERT_TRUE(here.find("s2"));
  ASSERT_TRUE(elsewhere.erase("s2"));

  admission_.begin();
  ASSERT_TRUE(here.find("s2"));
  EXPECT_FALSE(admission_.commit());
  EXPECT_FALSE(here.find("s2"));
}

TEST_F(RedisAdmissionTest, ARoleChangedByAnotherInstanceIsNotAdmittedFromTheCache) {
  RedisAgentStore here(instance());
  RedisAgentStore elsewhere(instance());
  ASSERT_EQ(here.role_or_create("carol", Role::kCoordinator), Role::kCoordinator);
  ASSERT_TRUE(here.find("carol"));
  elsewhere.set_role("carol", Role::kObserver);

  admission_.begin();
  const auto cached = here.find("carol");
  ASSERT_TRUE(cached);
  EXPECT_EQ(cached->role, Role::kCoordinator) << "the copy this instance read";
  EXPECT_FALSE(admission_.commit());
  EXPECT_EQ(here.find("carol")->role, Role::kObserver) << "read the ordinary way: the demotion";
}

TEST_F(RedisAdmissionTest, AWriteDuringTheOptimisticRunAbandonsItAndHappensNowhere) {
  RedisSessionStore sessions(instance());
  ASSERT_TRUE(sessions.insert(session("s3")));

  admission_.begin();
  EXPECT_FALSE(sessions.erase("s3")) << "not erased while recording";
  EXPECT_FALSE(admission_.commit()) << "abandoned: the request runs again the ordinary way";
  EXPECT_TRUE(sessions.find("s3")) << "the session is still there";
  EXPECT_EQ(AdmissionRecording::on_this_thread(), nullptr) << "the thread stopped recording";
}

TEST_F(RedisAdmissionTest, ATouchRecordedInAnAdmissionRestartsTheIdleClock) {
  RedisSessionStore sessions(instance());
  ASSERT_TRUE(sessions.insert(session("s4")));
  auto r = raw();
  ASSERT_TRUE(r->command({"PEXPIRE", "lab:adm:sess:s4", "5000"}).ok());

  admission_.begin();
  ASSERT_TRUE(sessions.find("s4"));
  ASSERT_TRUE(sessions.touch("s4", 12345));
  ASSERT_TRUE(admission_.commit());
  auto ttl = r->command({"PTTL", "lab:adm:sess:s4"});
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT(ttl->integer, 50'000) << "the idle TTL (60 s) again";
  EXPECT_EQ(r->command({"HGET", "lab:adm:sess:s4", "seen"})->text, "12345");
}

}  // namespace
}  // namespace lab::store

// The store contract suites against stage 4's Redis stores: one throwaway redis-server for the whole test program
// (started at first use), one client pool as a coordinator process has, and each store set under a prefix of its
// own (`lab:t<n>:`), so sets share nothing but the server. Values are sealed under a random key, as in stage 4.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>

#include "security/key256.h"
#include "security/sealed_record.h"
#include "store/redis/redis_functions.h"
#include "store/redis/redis_store_set.h"
#include "unit/redis/local_redis.h"
#include "unit/store/store_implementations.h"

namespace lab::store::testing {
namespace {

std::shared_ptr<redis::RedisClient> shared_client() {
  static redis::testing::LocalRedis server;
  static const auto client = std::make_shared<redis::RedisClient>(redis::RedisClientOptions{
      .endpoint = server.endpoint(),
      .credentials = redis::testing::kTestUser,
      .failover_deadline = std::chrono::milliseconds(5000),
      .on_connect = [](redis::RedisConnection& c) { return load_redis_functions(c); }});
  return client;
}

RedisRecordCodec random_sealing() {
  return RedisRecordCodec::sealed(
      security::SealingKeyring::make(security::SealingKey{1, security::Key256::random()}).value());
}

}  // namespace

std::vector<StoreImplementation> redis_store_implementations() {
  return {
      {"Redis",
       [] {
         static std::atomic<int> n{0};
         return std::make_shared<RedisStoreSet>(RedisStoreOptions{
             .client = shared_client(), .codec = random_sealing(), .prefix = "lab:t" + std::to_string(++n) + ":"});
       }},
  };
}

}  // namespace lab::store::testing

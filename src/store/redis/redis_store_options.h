// What every stage 4 Redis store is made with: the shared client (one pool per coordinator process), how values
// are written (sealed, or plain with the control switched off), the key prefix that keeps one deployment's keys
// apart (the coordinators' ACL user may touch only `lab:*`), and the clock for record times.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/clock.h"
#include "redis/redis_client.h"
#include "store/redis/redis_record_codec.h"

namespace lab::store {

struct RedisStoreOptions {
  std::shared_ptr<redis::RedisClient> client;
  RedisRecordCodec codec = RedisRecordCodec::plain();
  std::string prefix = "lab:";  // every key starts with it; must start with "lab:"
  const Clock* clock = &system_clock();
  // Sessions idle this long expire in Redis itself (the key's TTL); 0 = no TTL.
  std::chrono::milliseconds session_idle_ttl{0};
};

}  // namespace lab::store

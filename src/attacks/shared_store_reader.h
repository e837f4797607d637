// What an attacker who reaches stage 4's Redis sees: every key under the stage's prefix and every value in it,
// read with plain Redis commands (SCAN, TYPE, then GET / HGETALL / SMEMBERS / ZRANGE / XRANGE by type).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "redis/redis_connection.h"

namespace lab::attacks {

struct StoredValue {
  std::string key;
  std::string type;   // Redis's TYPE: string, hash, set, zset, stream, list
  std::string field;  // a hash's field, a stream entry's field; empty otherwise
  std::string value;
};

// Every value under `prefix` (at most `max_keys` keys). An error reply (NOAUTH, NOPERM) is an error whose
// message is Redis's own.
Result<std::vector<StoredValue>> read_every_value(redis::RedisConnection& redis, const std::string& prefix,
                                                  std::size_t max_keys = 2000);

// The values that contain `needle` in plain bytes.
std::vector<StoredValue> values_containing(const std::vector<StoredValue>& values, const std::string& needle);

}  // namespace lab::attacks

#include "store/redis/redis_store_set.h"

#include <stdexcept>

namespace lab::store {

RedisStoreSet::RedisStoreSet(RedisStoreOptions options)
    : options_(options), tasks_(options), agents_(options), sessions_(options), events_(options) {}

RedisStoreSet::~RedisStoreSet() = default;

void RedisStoreSet::load() {
  // Nothing to bring in: the state is in Redis. What is checked is that Redis answers as the primary, with the
  // function libraries loaded (the client loads them on every new connection).
  auto reply = options_.client->command({"FCALL", "session_touch", "1", options_.prefix + "sess:-", "0", "0"},
                                        redis::Retry::kIdempotent);
  if (!reply || reply->is_error()) {
    throw std::runtime_error("stage 4's Redis is not usable: " + (reply ? reply->text : reply.error().message));
  }
}

}  // namespace lab::store

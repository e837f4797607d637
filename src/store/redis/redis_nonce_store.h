// RedisNonceStore: stage 4's replay protection. A nonce is remembered as `<prefix>nonce:<key id>:<nonce>` with
// SET NX PX (the lifetime), shared by every coordinator instance, so a captured request replayed to another
// instance is refused there too. The time window is checked here against this process's clock, as NonceCache
// does; the "signed before the process started" rule of NonceCache is not needed: a restarted instance forgets
// nothing, Redis remembers. A Redis that cannot be asked refuses the request (fail closed).
#pragma once

#include <chrono>

#include "security/nonce_cache.h"
#include "security/nonce_store.h"
#include "store/redis/redis_store_options.h"

namespace lab::store {

class RedisNonceStore final : public security::NonceStore {
 public:
  RedisNonceStore(RedisStoreOptions options, security::NonceCacheOptions limits = {})
      : options_(std::move(options)), limits_(limits) {}

  [[nodiscard]] security::NonceVerdict check_and_remember(std::string_view key_id, std::string_view nonce,
                                                          std::int64_t created_unix_seconds) override;

 private:
  RedisStoreOptions options_;
  security::NonceCacheOptions limits_;
};

}  // namespace lab::store

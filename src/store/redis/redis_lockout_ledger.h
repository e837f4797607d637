// RedisLockoutLedger: stage 4's account lockout. An account's failed logins in a row are counted in Redis
// (`<prefix>lockout:fails:<account>`) and a lock is a key with a TTL (`<prefix>lockout:lock:<account>`), so a
// guesser who spreads its guesses over the coordinator instances meets one count and one lock. A failure is a
// security write (answered once a replica holds it). A Redis that cannot be asked counts as locked (fail closed).
#pragma once

#include "security/lockout_ledger.h"
#include "security/login_lockout.h"
#include "store/redis/redis_store_options.h"

namespace lab::store {

class RedisLockoutLedger final : public security::LockoutLedger {
 public:
  explicit RedisLockoutLedger(RedisStoreOptions options, security::LockoutOptions limits = {})
      : options_(std::move(options)), limits_(limits) {}

  std::optional<std::chrono::milliseconds> locked_for(std::string_view account) const override;
  void record_failure(std::string_view account) override;
  void record_success(std::string_view account) override;

 private:
  std::string key(std::string_view kind, std::string_view account) const;

  RedisStoreOptions options_;
  security::LockoutOptions limits_;
};

}  // namespace lab::store

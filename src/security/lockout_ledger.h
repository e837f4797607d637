// LockoutLedger: where a stage counts failed logins per account and keeps the accounts locked by them.
// LoginLockout keeps them in the process (stage 3); stage 4 keeps them in Redis, so a password guesser who
// spreads its guesses over the coordinator instances meets one count. Counts are per account name, whether or
// not such an account exists (the answer must not tell which ones do). Thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace lab::security {

class LockoutLedger {
 public:
  virtual ~LockoutLedger() = default;
  // How much longer `account` stays locked, or nullopt when it may be tried.
  virtual std::optional<std::chrono::milliseconds> locked_for(std::string_view account) const = 0;
  virtual void record_failure(std::string_view account) = 0;
  virtual void record_success(std::string_view account) = 0;
};

}  // namespace lab::security

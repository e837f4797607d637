// LoginLockout: after `max_failures` failed logins in a row an account is
// locked for `lock_for`; a success resets the count. It is consulted before a
// password is hashed, so a guessing run costs the server nothing once the
// account is locked. Counts are per account name, whether or not such an
// account exists (the answer must not tell which ones do). Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"
#include "security/lockout_ledger.h"

namespace lab::security {

struct LockoutOptions {
  int max_failures = 5;
  std::chrono::seconds lock_for{15 * 60};
  std::size_t max_accounts = 100'000;  // tracked names; beyond it, the oldest unlocked entries go first
};

class LoginLockout final : public LockoutLedger {
 public:
  LoginLockout(const Clock& clock, LockoutOptions options = {}) : clock_(clock), options_(options) {}

  // How much longer `account` stays locked, or nullopt when it may be tried.
  std::optional<std::chrono::milliseconds> locked_for(std::string_view account) const override;
  void record_failure(std::string_view account) override;
  void record_success(std::string_view account) override;
  const LockoutOptions& options() const { return options_; }

 private:
  struct Entry {
    int failures = 0;
    std::int64_t locked_until_ms = 0;
  };
  void make_room_locked(std::int64_t now_ms);

  const Clock& clock_;
  const LockoutOptions options_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> accounts_;
};

}  // namespace lab::security

#include "security/login_lockout.h"

namespace lab::security {

std::optional<std::chrono::milliseconds> LoginLockout::locked_for(std::string_view account) const {
  const std::int64_t now = unix_millis(clock_.now());
  std::lock_guard lock(mutex_);
  const auto it = accounts_.find(std::string(account));
  if (it == accounts_.end() || it->second.locked_until_ms <= now) return std::nullopt;
  return std::chrono::milliseconds(it->second.locked_until_ms - now);
}

void LoginLockout::record_failure(std::string_view account) {
  const std::int64_t now = unix_millis(clock_.now());
  std::lock_guard lock(mutex_);
  auto it = accounts_.find(std::string(account));
  if (it == accounts_.end()) {
    if (accounts_.size() >= options_.max_accounts) make_room_locked(now);
    it = accounts_.emplace(std::string(account), Entry{}).first;
  }
  Entry& e = it->second;
  if (e.locked_until_ms != 0 && e.locked_until_ms <= now) e = Entry{};  // an expired lock starts a fresh count
  if (++e.failures >= options_.max_failures) {
    e.locked_until_ms = now + std::chrono::duration_cast<std::chrono::milliseconds>(options_.lock_for).count();
  }
}

void LoginLockout::record_success(std::string_view account) {
  std::lock_guard lock(mutex_);
  accounts_.erase(std::string(account));
}

void LoginLockout::make_room_locked(std::int64_t now_ms) {
  std::erase_if(accounts_, [&](const auto& entry) { return entry.second.locked_until_ms <= now_ms; });
}

}  // namespace lab::security

#include "web/refresh_tokens.h"

#include "security/digest.h"
#include "security/hmac.h"

namespace lab::web {

std::string RefreshTokens::issue(const std::string& session) {
  std::lock_guard lock(mutex_);
  return add_locked(session);
}

std::string RefreshTokens::add_locked(const std::string& session) {
  std::string token = security::random_hex(32);
  const std::string hash = security::sha256_hex(token);
  by_hash_[hash] = Entry{.session = session, .expires_s = unix_seconds(clock_.now()) + lifetime_.count()};
  families_[session].push_back(hash);
  return token;
}

Rotation RefreshTokens::rotate(std::string_view token) {
  const std::string hash = security::sha256_hex(token);
  std::lock_guard lock(mutex_);
  const auto it = by_hash_.find(hash);
  if (it == by_hash_.end()) return {};
  const std::string session = it->second.session;
  const std::int64_t now = unix_seconds(clock_.now());
  if (it->second.retired) {
    if (now - it->second.retired_s < kGrace.count()) return Rotation{RefreshOutcome::kRaced, session, {}};
    revoke_locked(session);
    return Rotation{RefreshOutcome::kReused, session, {}};
  }
  if (now >= it->second.expires_s) {
    revoke_locked(session);
    return {};
  }
  if (!rotate_on_use_) return Rotation{RefreshOutcome::kRotated, session, std::string(token)};
  // FIX V-038: every use retires the token; a retired one presented again ends the family (see kGrace).
  it->second.retired = true;
  it->second.retired_s = now;
  return Rotation{RefreshOutcome::kRotated, session, add_locked(session)};
}

std::optional<std::string> RefreshTokens::session_of(std::string_view token) const {
  const std::string hash = security::sha256_hex(token);
  std::lock_guard lock(mutex_);
  const auto it = by_hash_.find(hash);
  if (it == by_hash_.end()) return std::nullopt;
  return it->second.session;
}

void RefreshTokens::revoke(const std::string& session) {
  std::lock_guard lock(mutex_);
  revoke_locked(session);
}

void RefreshTokens::revoke_locked(const std::string& session) {
  const auto family = families_.find(session);
  if (family == families_.end()) return;
  for (const auto& hash : family->second) by_hash_.erase(hash);
  families_.erase(family);
}

std::size_t RefreshTokens::live_families() const {
  std::lock_guard lock(mutex_);
  return families_.size();
}

}  // namespace lab::web

#include "security/nonce_cache.h"

namespace lab::security {

std::string_view to_string(NonceVerdict v) {
  switch (v) {
    case NonceVerdict::kFresh: return "fresh";
    case NonceVerdict::kReplayed: return "replayed";
    case NonceVerdict::kOutsideWindow: return "outside the time window";
    case NonceVerdict::kBeforeStart: return "signed before the server started";
    case NonceVerdict::kFull: return "nonce cache full";
    case NonceVerdict::kMalformed: return "malformed nonce";
    case NonceVerdict::kUnavailable: return "nonce store unavailable";
  }
  return "unknown";
}

NonceCache::NonceCache(const Clock& clock, NonceCacheOptions options)
    : clock_(clock), options_(options), started_s_(unix_seconds(clock.now())) {}

NonceVerdict NonceCache::check_and_remember(std::string_view key_id, std::string_view nonce,
                                            std::int64_t created_unix_seconds) {
  if (nonce.empty() || nonce.size() > kMaxNonceLength || key_id.empty() || key_id.size() > kMaxKeyIdLength ||
      key_id.find('\n') != std::string_view::npos) {
    return NonceVerdict::kMalformed;
  }
  const std::int64_t now_s = unix_seconds(clock_.now());
  const std::int64_t skew = options_.skew.count();
  std::lock_guard lock(mutex_);
  expire_locked(now_s);
  if (created_unix_seconds < now_s - skew || created_unix_seconds > now_s + skew) return NonceVerdict::kOutsideWindow;
  if (created_unix_seconds < started_s_) return NonceVerdict::kBeforeStart;

  std::string key;
  key.reserve(key_id.size() + 1 + nonce.size());
  key.append(key_id).append(1, '\n').append(nonce);
  if (seen_.contains(key)) return NonceVerdict::kReplayed;
  if (seen_.size() >= options_.max_entries) return NonceVerdict::kFull;
  seen_.insert(key);
  // The lifetime runs from now, and is never shorter than the skew: a request accepted at the edge of
  // the window cannot come back after its nonce was forgotten while its timestamp is still accepted.
  const std::int64_t keep = std::max(options_.lifetime.count(), 2 * skew);
  by_expiry_.emplace_back(now_s + keep, std::move(key));
  return NonceVerdict::kFresh;
}

std::size_t NonceCache::size() const {
  std::lock_guard lock(mutex_);
  return seen_.size();
}

void NonceCache::expire_locked(std::int64_t now_s) {
  while (!by_expiry_.empty() && by_expiry_.front().first <= now_s) {
    seen_.erase(by_expiry_.front().second);
    by_expiry_.pop_front();
  }
}

}  // namespace lab::security

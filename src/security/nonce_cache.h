// NonceCache: refuses a signed request seen before. A request carries the
// signer's key id, a nonce and its creation time; it is fresh only when its
// time is within the allowed skew of now, not older than this process (a
// restart empties the cache, so anything signed before it could be replayed
// otherwise), and its (key id, nonce) pair has not been seen in the last
// `lifetime`. Entries expire after `lifetime`; the cache holds at most
// `max_entries` and, when full, refuses new requests rather than forget
// live nonces (fail closed). Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>

#include "core/clock.h"
#include "security/nonce_store.h"

namespace lab::security {

struct NonceCacheOptions {
  std::chrono::seconds lifetime{300};  // a nonce is remembered this long
  std::chrono::seconds skew{60};       // |created - now| allowed
  std::size_t max_entries = 1'000'000;
};

class NonceCache final : public NonceStore {
 public:
  NonceCache(const Clock& clock, NonceCacheOptions options = {});

  // Checks and, when fresh, remembers. `created_unix_seconds` is the request's own timestamp.
  [[nodiscard]] NonceVerdict check_and_remember(std::string_view key_id, std::string_view nonce,
                                                std::int64_t created_unix_seconds) override;
  std::size_t size() const;

 private:
  void expire_locked(std::int64_t now_s);

  const Clock& clock_;
  const NonceCacheOptions options_;
  const std::int64_t started_s_;
  mutable std::mutex mutex_;
  std::unordered_set<std::string> seen_;  // key id + '\n' + nonce
  std::deque<std::pair<std::int64_t, std::string>> by_expiry_;  // (expires at, key), oldest first
};

}  // namespace lab::security

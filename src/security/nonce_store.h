// NonceStore: where a stage remembers the nonces of signed requests it accepted, so that each is accepted once.
// NonceCache keeps them in the process (stage 3); stage 4 keeps them in Redis, so a request replayed to another
// coordinator instance is refused there too. Thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

namespace lab::security {

enum class NonceVerdict {
  kFresh,           // remembered now; the request may proceed
  kReplayed,        // this key id already used this nonce within the lifetime
  kOutsideWindow,   // created too far from now
  kBeforeStart,     // created before this process started
  kFull,            // the cache is at capacity with live nonces
  kMalformed,       // empty or over-long nonce or key id
  kUnavailable,     // the shared store could not be asked (fail closed)
};

std::string_view to_string(NonceVerdict v);

class NonceStore {
 public:
  static constexpr std::size_t kMaxNonceLength = 64;
  static constexpr std::size_t kMaxKeyIdLength = 128;

  virtual ~NonceStore() = default;
  // Checks and, when fresh, remembers. `created_unix_seconds` is the request's own timestamp.
  [[nodiscard]] virtual NonceVerdict check_and_remember(std::string_view key_id, std::string_view nonce,
                                                        std::int64_t created_unix_seconds) = 0;
};

}  // namespace lab::security

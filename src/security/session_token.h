// SessionToken: a stage 3 session id. 256 bits from the OS CSPRNG, sent on
// the wire as 43 characters of unpadded base64url, and kept by the server only
// as its SHA-256 (SessionIdHash): a copy of the session store, a backup or a
// log line never holds a usable id.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace lab::security {

// What the server stores and looks sessions up by. Compared in constant time.
class SessionIdHash {
 public:
  static constexpr std::size_t kSize = 32;

  // From 64 hex digits (a record read back from the store).
  static Result<SessionIdHash> from_hex(std::string_view hex);
  std::string to_hex() const;
  // The first 12 hex digits: enough to tell sessions apart in a log or a monitoring view, useless to an attacker.
  std::string short_label() const;
  const std::array<unsigned char, kSize>& bytes() const { return bytes_; }

  friend bool operator==(const SessionIdHash& a, const SessionIdHash& b);

 private:
  friend class SessionToken;
  SessionIdHash() = default;
  std::array<unsigned char, kSize> bytes_{};
};

struct SessionIdHashHasher {
  // The bytes are already uniformly distributed (a SHA-256 output).
  std::size_t operator()(const SessionIdHash& h) const noexcept;
};

class SessionToken {
 public:
  static constexpr std::size_t kSize = 32;
  static constexpr std::size_t kWireLength = 43;

  // A fresh token from the operating system's CSPRNG.
  static SessionToken generate();
  // Exactly 43 characters of unpadded base64url; anything else is INVALID_FIELD (the same answer for every
  // malformed id, so a probe learns nothing from it).
  static Result<SessionToken> from_wire(std::string_view text);

  SessionToken(const SessionToken&) = default;
  SessionToken& operator=(const SessionToken&) = default;
  ~SessionToken();

  // The text handed to the client once, at login. Explicit, so it is easy to find in a review.
  std::string to_wire() const;
  SessionIdHash hash() const;

 private:
  SessionToken() = default;
  std::array<unsigned char, kSize> bytes_{};
};

}  // namespace lab::security

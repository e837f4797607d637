// Refresh tokens: opaque 256-bit values, kept only as their SHA-256, one family per session. Every use rotates:
// the presented token is retired and a new one issued. A retired token presented again means two parties hold
// the family (the token was stolen and one of them already used it): the whole family is revoked and the session
// ends for both (RFC 9700, refresh token rotation).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/clock.h"

namespace lab::web {

enum class RefreshOutcome {
  kRotated,  // `token` is the new refresh token of `session`
  kReused,   // a retired token: the family of `session` is revoked, its session must end
  kRaced,    // a token retired moments ago (another tab of the same browser refreshed first): nothing changes
  kUnknown,  // never issued, expired, or its family was revoked
};

struct Rotation {
  RefreshOutcome outcome = RefreshOutcome::kUnknown;
  std::string session;
  std::string token;
};

class RefreshTokens {
 public:
  // A retired token presented within `grace` of its rotation is a race between two tabs, not a theft: it is
  // answered kRaced and the family lives on; later, it is reuse.
  static constexpr std::chrono::seconds kGrace{10};

  // `rotate_on_use` false (refresh-rotation switched off): a token stays valid until it expires, however often and by
  // whomever it is used.
  RefreshTokens(const Clock& clock, std::chrono::seconds lifetime, bool rotate_on_use = true)
      : clock_(clock), lifetime_(lifetime), rotate_on_use_(rotate_on_use) {}

  // The first token of a new family for `session`.
  std::string issue(const std::string& session);
  Rotation rotate(std::string_view token);
  // The session whose family holds `token` (live or retired), without using it.
  std::optional<std::string> session_of(std::string_view token) const;
  // Revokes the family of `session` (logout, an admin's revoke, a session ended elsewhere).
  void revoke(const std::string& session);
  std::size_t live_families() const;

 private:
  struct Entry {
    std::string session;
    bool retired = false;
    std::int64_t retired_s = 0;
    std::int64_t expires_s = 0;
  };
  std::string add_locked(const std::string& session);
  void revoke_locked(const std::string& session);

  const Clock& clock_;
  std::chrono::seconds lifetime_;
  bool rotate_on_use_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> by_hash_;                       // SHA-256 hex of the token
  std::unordered_map<std::string, std::vector<std::string>> families_;  // session -> its tokens' hashes
};

}  // namespace lab::web

// The ids (jti) of access tokens that must no longer be accepted — signed out, revoked by an admin, or their
// session ended — each kept until the token would have expired anyway, then forgotten.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.h"

namespace lab::web {

class TokenDenylist {
 public:
  explicit TokenDenylist(const Clock& clock) : clock_(clock) {}
  void deny(const std::string& token_id, std::int64_t expires_s);
  bool denied(const std::string& token_id) const;
  std::size_t size() const;

 private:
  const Clock& clock_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::int64_t> expiry_;
};

}  // namespace lab::web

#include "web/token_denylist.h"

namespace lab::web {

void TokenDenylist::deny(const std::string& token_id, std::int64_t expires_s) {
  const std::int64_t now = unix_seconds(clock_.now());
  std::lock_guard lock(mutex_);
  if (expiry_.size() > 1024) std::erase_if(expiry_, [now](const auto& e) { return e.second <= now; });
  expiry_[token_id] = expires_s;
}

bool TokenDenylist::denied(const std::string& token_id) const {
  std::lock_guard lock(mutex_);
  const auto it = expiry_.find(token_id);
  return it != expiry_.end() && unix_seconds(clock_.now()) < it->second;
}

std::size_t TokenDenylist::size() const {
  std::lock_guard lock(mutex_);
  return expiry_.size();
}

}  // namespace lab::web

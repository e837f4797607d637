// Everything the web stage issues and checks besides the session itself, in one place shared by the session
// policy, the chain's web controls and the HTTPS front: access tokens and the cache of verified ones, refresh
// token families, the deny-list of revoked token ids, and the CSRF token signer. Made once, never moved (the
// cache refers to the issuer).
#pragma once

#include <memory>

#include "core/clock.h"
#include "core/json_fields.h"
#include "core/result.h"
#include "web/access_token.h"
#include "web/csrf_token.h"
#include "web/refresh_tokens.h"
#include "web/token_denylist.h"

namespace lab::web {

struct WebTokenOptions {
  AccessTokenOptions access;
  std::chrono::seconds refresh_lifetime{8 * 3600};
  bool rotate_refresh_tokens = true;  // refresh-rotation
};

struct WebTokens {
  WebTokens(AccessTokens issuer, const WebTokenOptions& options, const Clock& clock)
      : access(std::move(issuer)), verified(access, clock), refresh(clock, options.refresh_lifetime, options.rotate_refresh_tokens),
        denylist(clock), csrf(security::Key256::random()) {}
  WebTokens(const WebTokens&) = delete;
  WebTokens& operator=(const WebTokens&) = delete;

  // A fresh P-256 key for this process's tokens: a restart signs out every browser, as it forgets their sessions.
  static Result<std::unique_ptr<WebTokens>> make(const WebTokenOptions& options, const Clock& clock);

  AccessTokens access;
  VerifiedTokenCache verified;
  RefreshTokens refresh;
  TokenDenylist denylist;
  CsrfTokens csrf;
};

inline Result<std::unique_ptr<WebTokens>> WebTokens::make(const WebTokenOptions& options, const Clock& clock) {
  LAB_ASSIGN_OR_RETURN(auto key, security::SigningKey::generate());
  LAB_ASSIGN_OR_RETURN(auto issuer, AccessTokens::make(key, options.access, clock));
  return std::make_unique<WebTokens>(std::move(issuer), options, clock);
}

}  // namespace lab::web

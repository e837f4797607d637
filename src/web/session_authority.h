// What the HTTPS front needs of the stage's web session policy beyond the chain: a refresh is admitted by the
// sign-in budget of its address, looks the session up again (live, not expired) to mint the next access token, and a
// reused refresh token ends the session.
#pragma once

#include <functional>
#include <string>

#include "core/result.h"
#include "web/access_token.h"

namespace lab::web {

class SessionAuthority {
 public:
  virtual ~SessionAuthority() = default;
  // A refresh mints tokens as a sign-in does, so it spends the same budget of its address: RATE_LIMITED (with the
  // wait, "retry after N ms") when that is spent.
  virtual Status admit_refresh(const std::string& address) = 0;
  // Subject, role and session for a new access token of the live session `session`.
  virtual Result<AccessClaims> resume(const std::string& session) = 0;
  // Ends the session and revokes its refresh family.
  virtual void end(const std::string& session) = 0;
  // `listener` hears of every session the stage ends (sign-out, revoke, role change, session cap, refresh reuse).
  // Set once, before the server starts.
  virtual void on_session_end(std::function<void(const std::string& session)> listener) = 0;
};

}  // namespace lab::web

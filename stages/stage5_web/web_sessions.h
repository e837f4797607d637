// Stage 5 sessions. A browser (or an agent over HTTPS) signs in with a password (Argon2id, behind stage 3's
// throttle and lockout); the server opens a session it keeps by the hash of a CSPRNG id it never hands out, and
// the front issues what stands for it: a short-lived ES256 access token naming the session, bound to a hardened
// fingerprint cookie, and a rotating refresh token.
//
// Every later request is authenticated by its access token (signature, algorithm, issuer, audience, expiry, every
// claim present), then by the session it names, in stage 3's order: unknown, absolute lifetime, idle. The chain's
// next controls check the token's cookie binding, its revocation and the CSRF token.
//
// Signing out, a role change, the session cap, an admin's revoke and a reused refresh token end the session and
// revoke its refresh family, so no token naming it and no refresh brings it back; signing out also deny-lists the
// token presented (defence in depth: the ended session already refuses it). Whoever listens (the front's live
// streams) hears of every session ended so.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "coordinator/policies.h"
#include "core/clock.h"
#include "security/lockout_ledger.h"
#include "security/rate_budget.h"
#include "stage3_secure/account_roster.h"
#include "stage3_secure/session_rules.h"
#include "store/agent_store.h"
#include "store/session_store.h"
#include "web/session_authority.h"
#include "web/web_tokens.h"

namespace lab::stage5 {

// The web stage's security state besides the sessions: its tokens, its rate budgets and the failed sign-ins.
// The session policy owns it; the chain's controls and the front refer to it, and the policy outlives them.
struct WebSecurityState {
  std::unique_ptr<web::WebTokens> tokens;
  std::unique_ptr<security::RateBudget> per_address;         // every request, by client address
  std::unique_ptr<security::RateBudget> logins_per_address;  // sign-ins, by client address
  std::unique_ptr<security::RateBudget> per_agent;           // every request of a session, by agent
  std::unique_ptr<security::LockoutLedger> lockout;
};

struct WebSessionOptions {
  std::chrono::milliseconds idle_timeout = std::chrono::minutes(30);
  std::chrono::milliseconds absolute_timeout = std::chrono::hours(8);
  std::size_t max_sessions_per_agent = 3;
  bool throttle_refresh = true;  // follows login-throttle: a refresh spends the sign-in budget of its address
};

class WebSessions final : public coordinator::SessionPolicy, public web::SessionAuthority {
 public:
  WebSessions(WebSecurityState state, stage3::AccountRoster accounts, store::SessionStore& sessions,
              store::AgentStore& agents, WebSessionOptions options, const Clock& clock);

  Result<coordinator::Caller> authenticate(const Request& request, const coordinator::RequestOrigin& origin) override;
  Result<Json> login(const Request& request, const coordinator::RequestOrigin& origin) override;
  Result<Json> logout(const coordinator::Caller& caller, const Request& request) override;
  Result<Json> session_info(const coordinator::Caller& caller, const Request& request) override;
  void on_role_changed(const std::string& agent_id, Role new_role) override;
  void on_accepted(const coordinator::Caller& caller) override;
  Result<Json> list_sessions(const coordinator::Caller& caller) override;
  Result<Json> revoke(const coordinator::Caller& caller, const std::string& fingerprint) override;
  Result<std::string> enroll(const coordinator::Caller& caller, const std::string& agent_id) override;

  // The claims of a new access token for the live session `session` (a refresh); AUTH_REQUIRED and the like when
  // the session has ended or expired (then its refresh family is revoked too).
  Status admit_refresh(const std::string& address) override;
  Result<web::AccessClaims> resume(const std::string& session) override;
  void on_session_end(std::function<void(const std::string& session)> listener) override;
  // Ends the session and revokes its refresh family (an admin's revoke, a refresh token reused).
  void end(const std::string& session) override;
  const WebSessionOptions& options() const { return options_; }
  WebSecurityState& state() { return state_; }

 private:
  stage3::SessionTimes times() const { return {options_.idle_timeout, options_.absolute_timeout}; }

  WebSecurityState state_;
  std::function<void(const std::string&)> ended_;  // set before the server starts
  stage3::AccountRoster accounts_;
  security::LockoutLedger& lockout_;
  web::WebTokens& tokens_;
  store::SessionStore& sessions_;
  store::AgentStore& agents_;
  WebSessionOptions options_;
  const Clock& clock_;
};

}  // namespace lab::stage5

// The web stage's per-request controls, each one named guard of the coordinator's chain (`lab controls --stage 5`
// lists them, `--disable-control NAME` switches one off), reading what the HTTPS front put in the request's
// WebCredentials and the caller's bearer token:
//   origin-check         a state-changing request whose Origin is not the server's own (or allowlisted) is refused;
//                        one without an Origin comes from no browser, and no page can make a browser omit it
//   token-cookie-binding the access token's fgp claim is the SHA-256 of the fingerprint cookie sent with it
//   token-revocation     the token's id is not on the deny-list (sign-out, an admin's revoke)
//   csrf-token           a state-changing request authenticated by the access cookie (what a browser sends by
//                        itself) carries the session's signed CSRF token in header and cookie
#pragma once

#include <functional>
#include <string_view>

#include "coordinator/policy_guards.h"
#include "web/csrf_token.h"
#include "web/token_denylist.h"

namespace lab::web {

class OriginGuard final : public coordinator::LabelledGuard {
 public:
  OriginGuard(std::function<bool(std::string_view)> allowed, coordinator::ControlLabel label)
      : LabelledGuard(std::move(label)), allowed_(std::move(allowed)) {}
  coordinator::Phase phase() const override { return coordinator::Phase::kBeforeAuthentication; }
  coordinator::Verdict check(coordinator::GuardContext& context) override;

 private:
  std::function<bool(std::string_view)> allowed_;
};

class TokenCookieBindingGuard final : public coordinator::LabelledGuard {
 public:
  using LabelledGuard::LabelledGuard;
  coordinator::Phase phase() const override { return coordinator::Phase::kBinding; }
  coordinator::Verdict check(coordinator::GuardContext& context) override;
};

class TokenRevocationGuard final : public coordinator::LabelledGuard {
 public:
  TokenRevocationGuard(const TokenDenylist& denylist, coordinator::ControlLabel label)
      : LabelledGuard(std::move(label)), denylist_(denylist) {}
  coordinator::Phase phase() const override { return coordinator::Phase::kBinding; }
  coordinator::Verdict check(coordinator::GuardContext& context) override;

 private:
  const TokenDenylist& denylist_;
};

class CsrfGuard final : public coordinator::LabelledGuard {
 public:
  CsrfGuard(const CsrfTokens& tokens, coordinator::ControlLabel label)
      : LabelledGuard(std::move(label)), tokens_(tokens) {}
  coordinator::Phase phase() const override { return coordinator::Phase::kBinding; }
  coordinator::Verdict check(coordinator::GuardContext& context) override;

 private:
  const CsrfTokens& tokens_;
};

}  // namespace lab::web

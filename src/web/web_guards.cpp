#include "web/web_guards.h"

#include "security/digest.h"
#include "security/hmac.h"

namespace lab::web {
namespace {

using coordinator::Rejection;
using coordinator::Verdict;

Verdict refuse(ErrorCode code, std::string message, std::string audit) {
  return Rejection{Error{code, std::move(message)}, std::move(audit)};
}

}  // namespace

// FIX V-039: a state-changing request from a page of another origin is refused before anything else is read.
Verdict OriginGuard::check(coordinator::GuardContext& context) {
  const auto& web = context.origin.web;
  if (!web || !web->state_changing || web->origin.empty() || allowed_(web->origin)) return std::nullopt;
  return refuse(ErrorCode::kOriginRefused, "requests that change state are accepted from this site's own pages only",
                "state-changing " + web->method + " from origin " + web->origin);
}

// FIX V-004: a token is refused without the HttpOnly cookie whose SHA-256 its fgp claim names.
// FIX V-024: so a token that leaks (a log, a proxy, a script) is useless without the cookie no script can read.
// FIX V-005: another browser holds another cookie: a token shared into it is refused.
Verdict TokenCookieBindingGuard::check(coordinator::GuardContext& context) {
  const auto& web = context.origin.web;
  if (!web || !context.caller || !context.caller->token) return std::nullopt;
  const std::string presented = web->fingerprint_cookie.empty() ? std::string() : security::sha256_hex(web->fingerprint_cookie);
  if (!presented.empty() && security::constant_time_equal(presented, context.caller->token->fingerprint)) {
    return std::nullopt;
  }
  return refuse(ErrorCode::kTokenBindingMismatch,
                "the access token is bound to a cookie this request did not carry; sign in again",
                "token " + context.caller->token->id.substr(0, 8) + " of " + context.caller->agent_id +
                    (web->fingerprint_cookie.empty() ? " without its fingerprint cookie" : " with another cookie"));
}

// FIX V-006: a signed-out or revoked token's jti stays deny-listed until its exp (the session is ended too).
Verdict TokenRevocationGuard::check(coordinator::GuardContext& context) {
  if (!context.caller || !context.caller->token || !denylist_.denied(context.caller->token->id)) return std::nullopt;
  return refuse(ErrorCode::kTokenRevoked, "this access token was revoked; sign in again",
                "revoked token " + context.caller->token->id.substr(0, 8) + " of " + context.caller->agent_id);
}

Verdict CsrfGuard::check(coordinator::GuardContext& context) {
  const auto& web = context.origin.web;
  // Only a credential the browser sends by itself (the access cookie) can be ridden by another site's page; a
  // bearer token in a header is added by a script of this site or by an agent, which no foreign page can make a
  // browser do (the CORS allowlist refuses the preflight such a header needs).
  if (!web || !web->state_changing || !web->token_from_cookie || !context.caller || !context.caller->session_id) {
    return std::nullopt;
  }
  if (tokens_.verify(web->csrf_header, web->csrf_cookie, *context.caller->session_id)) return std::nullopt;
  return refuse(ErrorCode::kCsrfRejected,
                "this request needs the session's CSRF token in the X-CSRF-Token header and its cookie",
                web->method + " by " + context.caller->agent_id + (web->csrf_header.empty() ? " without" : " with a wrong") +
                    " CSRF token, origin '" + web->origin + "'");
}

}  // namespace lab::web

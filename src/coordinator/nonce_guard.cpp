#include "coordinator/nonce_guard.h"

#include "security/signed_request.h"

namespace lab::coordinator {

Verdict NonceGuard::check(GuardContext& context) {
  if (!context.caller) return std::nullopt;
  const auto& auth = signed_auth(context);
  if (!auth) return Rejection{auth.error(), "no auth block to take a nonce from"};
  // FIX V-022: each signed request carries a nonce the server remembers for 5 minutes; a replay is refused.
  const auto verdict = cache_.check_and_remember(auth->params.key_id, auth->params.nonce, auth->params.created);
  const std::string detail = std::string(security::to_string(verdict)) + ": " + context.request.type + " from " +
                             context.caller->agent_id;
  switch (verdict) {
    case security::NonceVerdict::kFresh:
      return std::nullopt;
    case security::NonceVerdict::kReplayed:
      return Rejection{Error{ErrorCode::kReplayDetected, "this request was already received (nonce reused)"}, detail};
    case security::NonceVerdict::kOutsideWindow:
    case security::NonceVerdict::kBeforeStart:
      return Rejection{Error{ErrorCode::kTimestampOutOfWindow, "auth.created is outside the accepted window"}, detail};
    case security::NonceVerdict::kFull:
      return Rejection{Error{ErrorCode::kRateLimited, "too many requests in flight; retry after 1000 ms"}, detail};
    case security::NonceVerdict::kMalformed:
      return Rejection{Error{ErrorCode::kInvalidField, "auth.nonce must be 1-64 characters"}, detail};
    case security::NonceVerdict::kUnavailable:
      // Fail closed: a nonce that cannot be remembered is not accepted.
      return Rejection{Error{ErrorCode::kInternalError, "the replay check is unavailable; retry shortly"}, detail};
  }
  return std::nullopt;
}

}  // namespace lab::coordinator

#include "coordinator/request_signature_guard.h"

#include "security/signed_request.h"

namespace lab::coordinator {

Verdict RequestSignatureGuard::check(GuardContext& context) {
  if (!context.caller) return std::nullopt;
  const Caller& caller = *context.caller;
  const auto& auth = signed_auth(context);
  if (!auth) return Rejection{auth.error(), "unsigned or malformed auth block from " + caller.agent_id};
  // FIX V-018: every request is signed by the key of the session's certificate, not a key sent over the wire.
  // FIX V-029: that key is the agent's own (ECDSA P-256), so a signature proves which agent sent the request.
  // FIX V-017: another agent's valid lab key does not do: an insider holding a stolen session id cannot sign for it.
  if (auth->params.key_id != caller.bound_certificate()) {
    return Rejection{Error{ErrorCode::kSignatureInvalid, "the request is not signed by this session's certificate"},
                     "keyid " + auth->params.key_id.substr(0, 16) + " is not the session's certificate"};
  }
  const auto agent = keys_.find(auth->params.key_id);
  auto base = security::signature_base_of(context.request, *auth);
  if (!agent || !base || !agent->key.verify(*base, auth->signature)) {
    return Rejection{Error{ErrorCode::kSignatureInvalid, "the request signature does not verify"},
                     "bad ECDSA signature on " + context.request.type + " from " + caller.agent_id};
  }
  return std::nullopt;
}

}  // namespace lab::coordinator

// The front's token endpoints: sign-in (a password, then the session's tokens and cookies), refresh (a rotated
// refresh token for a new access token) and service tokens (a token for another service of the deployment).
#include <spdlog/spdlog.h>

#include "core/bounded_json.h"
#include "security/digest.h"
#include "security/hmac.h"
#include "web/cookies.h"
#include "web/web_front.h"

namespace lab::web {

HttpResponse WebFront::sign_in(const HttpRequest& request) {
  BoundedJson body = parse_json_bounded(request.body);
  if (body.status != JsonParseStatus::kOk || !body.value.is_object()) {
    return error_response(Error{ErrorCode::kMalformedJson, "sign in with a JSON object {agent_id, password}"});
  }
  Request login;
  login.type = "login";
  login.payload = std::move(body.value);
  auto result = coordinator_.handle(login, origin_of(request));
  if (!result) return error_response(result.error());
  const Json& data = result->json();
  AccessClaims claims;
  claims.subject = data.value("agent_id", "");
  claims.role = role_from_string(data.value("role", "")).value_or(Role::kObserver);
  claims.session = data.value("session_id", "");
  const std::string refresh_token = tokens_.refresh.issue(claims.session);
  return issue_tokens(std::move(claims), refresh_token, 200);
}

HttpResponse WebFront::refresh(const HttpRequest& request) {
  const auto origin = origin_of(request);
  if (options_.origin_check && !origin.web->origin.empty() && !policy_->origin_allowed(origin.web->origin)) {
    return error_response(Error{ErrorCode::kOriginRefused, "refresh from this site's own pages only"});
  }
  if (auto admitted = sessions_.admit_refresh(request.peer_address); !admitted) return error_response(admitted.error());
  const std::string cookies(request.header("cookie"));
  const auto presented = cookie_value(cookies, cookie_name(kRefreshCookie, options_.hardened_cookies));
  if (!presented || presented->empty()) return error_response(Error{ErrorCode::kAuthRequired, "no refresh token; sign in"});
  const auto session = tokens_.refresh.session_of(*presented);
  if (options_.csrf_check && session &&
      !tokens_.csrf.verify(origin.web->csrf_header, origin.web->csrf_cookie, *session)) {
    return error_response(Error{ErrorCode::kCsrfRejected, "a refresh needs the session's CSRF token"});
  }
  const Rotation rotation = tokens_.refresh.rotate(*presented);
  if (rotation.outcome == RefreshOutcome::kReused) {
    // Two holders of one family: whoever it is, the session ends for both.
    sessions_.end(rotation.session);
    spdlog::warn("refresh token reused from {}: session {} ended", request.peer_address, rotation.session.substr(0, 12));
    return error_response(Error{ErrorCode::kAuthRequired, "this refresh token was already used; the session has ended"});
  }
  if (rotation.outcome == RefreshOutcome::kRaced) {
    return error_response(Error{ErrorCode::kVersionConflict,
                                "this refresh token was rotated a moment ago; retry with the cookies you hold now"});
  }
  if (rotation.outcome != RefreshOutcome::kRotated) {
    return error_response(Error{ErrorCode::kAuthRequired, "unknown or expired refresh token; sign in"});
  }
  auto claims = sessions_.resume(rotation.session);
  if (!claims) return error_response(claims.error());
  return issue_tokens(std::move(*claims), rotation.token, 200);
}

HttpResponse WebFront::issue_tokens(AccessClaims claims, const std::string& refresh_token, int status) {
  const std::string fingerprint = security::random_hex(32);
  claims.fingerprint = security::sha256_hex(fingerprint);
  claims.token_id = security::random_hex(16);
  auto access = tokens_.access.issue(claims);
  if (!access) return error_response(access.error());
  const std::string csrf = tokens_.csrf.issue(claims.session);
  const auto lifetime = tokens_.access.options().lifetime;
  HttpResponse response = HttpResponse::json(status, Json{{"agent_id", claims.subject},
                                                          {"role", to_string(claims.role)},
                                                          {"access_token", *access},
                                                          {"token_type", "Bearer"},
                                                          {"expires_in", lifetime.count()},
                                                          {"csrf_token", csrf}}
                                                         .dump());
  const bool hardened = options_.hardened_cookies;
  response.add("Set-Cookie", set_cookie(kAccessCookie, *access, {hardened, true, lifetime}));
  response.add("Set-Cookie", set_cookie(kFingerprintCookie, fingerprint, {hardened, true, std::chrono::seconds(0)}));
  response.add("Set-Cookie", set_cookie(kRefreshCookie, refresh_token, {hardened, true, std::chrono::seconds(0)}));
  response.add("Set-Cookie", set_cookie(kCsrfCookie, csrf, {hardened, false, std::chrono::seconds(0)}));
  return response;
}

HttpResponse WebFront::service_token(const HttpRequest& request) {
  // Who asks, through the whole chain (token, cookie, revocation, Origin and CSRF as for any state change).
  Request probe;
  probe.type = "get_session_info";
  const auto origin = origin_of(request);
  if (auto allowed = coordinator_.handle(probe, origin); !allowed) return error_response(allowed.error());
  BoundedJson body = parse_json_bounded(request.body);
  const Json* audience = body.status == JsonParseStatus::kOk && body.value.is_object() && body.value.contains("audience")
                             ? &body.value["audience"]
                             : nullptr;
  if (!audience || !audience->is_string()) {
    return error_response(Error{ErrorCode::kInvalidField, "ask with a JSON object {\"audience\": SERVICE}"});
  }
  // The chain has verified the token: this is a lookup in the cache of verified ones.
  auto claims = tokens_.verified.verify(origin.web->access_token);
  if (!claims) return error_response(claims.error());
  // The service is not a browser of this site: it gets the fingerprint's value with the token, as its proof.
  const std::string fingerprint = security::random_hex(32);
  claims->fingerprint = security::sha256_hex(fingerprint);
  claims->token_id = security::random_hex(16);
  auto token = tokens_.access.issue_for_service(*claims, audience->get_ref<const std::string&>());
  if (!token) return error_response(token.error());
  spdlog::info("{} took a token for {} (jti {})", claims->subject, audience->get_ref<const std::string&>(),
               claims->token_id.substr(0, 8));
  return HttpResponse::json(201, Json{{"access_token", *token},
                                      {"audience", *audience},
                                      {"fingerprint", fingerprint},
                                      {"token_type", "Bearer"},
                                      {"expires_in", tokens_.access.options().lifetime.count()}}
                                     .dump());
}

}  // namespace lab::web

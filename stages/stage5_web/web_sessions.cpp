#include "stage5_web/web_sessions.h"

#include <spdlog/spdlog.h>

#include "core/json_fields.h"

namespace lab::stage5 {

WebSessions::WebSessions(WebSecurityState state, stage3::AccountRoster accounts, store::SessionStore& sessions,
                         store::AgentStore& agents, WebSessionOptions options, const Clock& clock)
    : state_(std::move(state)), accounts_(std::move(accounts)), lockout_(*state_.lockout), tokens_(*state_.tokens),
      sessions_(sessions), agents_(agents), options_(options), clock_(clock) {}

Result<Json> WebSessions::login(const Request& request, const coordinator::RequestOrigin& origin) {
  LAB_ASSIGN_OR_RETURN(auto agent_id, fields::required_string(request.payload, "agent_id"));
  LAB_ASSIGN_OR_RETURN(auto password, fields::required_string(request.payload, "password"));
  // FIX V-017: who signs in proves it with a password checked against its Argon2id hash before any token exists.
  // FIX V-016: the role is the account's; the sign-in body has none to claim.
  const auto account_role = accounts_.verify(agent_id, password);
  if (!account_role) {
    lockout_.record_failure(agent_id);
    spdlog::warn("sign-in failed for '{}' from {}", agent_id, origin.peer.address);
    return Error{ErrorCode::kAuthFailed, "invalid agent id or password"};
  }
  lockout_.record_success(agent_id);
  const Role role = agents_.role_or_create(agent_id, *account_role);
  for (const auto& ended : stage3::keep_within_session_cap(sessions_, agent_id, options_.max_sessions_per_agent)) {
    tokens_.refresh.revoke(ended);
    if (ended_) ended_(ended);
  }
  const auto now = unix_millis(clock_.now());
  store::SessionRecord record;
  record.agent_id = agent_id;
  record.role = role;
  record.created_ms = record.last_seen_ms = now;
  record.client_address = origin.peer.address;
  record.client_name = origin.client_name;
  // FIX V-025: the server makes the session here, at sign-in, and sets every cookie itself; its id is never handed
  // out (the session is named by its stored hash inside signed tokens only), so no one can plant one.
  stage3::insert_with_fresh_id(sessions_, record);
  spdlog::info("sign-in: {} ({}) from {}, session {}", agent_id, lab::to_string(role), origin.peer.address,
               record.id.substr(0, 12));
  return Json{{"session_id", record.id},
              {"agent_id", agent_id},
              {"role", lab::to_string(role)},
              {"idle_timeout_ms", options_.idle_timeout.count()},
              {"absolute_timeout_ms", options_.absolute_timeout.count()},
              {"expires_at_ms", now + options_.absolute_timeout.count()}};
}

Result<coordinator::Caller> WebSessions::authenticate(const Request&, const coordinator::RequestOrigin& origin) {
  if (!origin.web || origin.web->access_token.empty()) {
    return Error{ErrorCode::kAuthRequired, "sign in first: this request needs an access token"};
  }
  // FIX V-001: every request needs a token this server signed, naming a session that exists, is live and within its
  // timeouts. Signature (ES256 only), issuer, audience, expiry and every claim; a token seen before costs a lookup.
  LAB_ASSIGN_OR_RETURN(auto claims, tokens_.verified.verify(origin.web->access_token));
  const auto found = sessions_.find(claims.session);
  if (!found || found->ended) return stage3::unknown_session();
  if (auto s = stage3::check_session_times(sessions_, found->id, found->created_ms, found->last_seen_ms, times(),
                                           unix_millis(clock_.now()));
      !s) {
    return s.error();
  }
  coordinator::Caller caller{found->agent_id, found->role, found->id, true};
  caller.token = coordinator::BearerToken{claims.token_id, claims.fingerprint, claims.expires_s};
  return caller;
}

void WebSessions::on_accepted(const coordinator::Caller& caller) {
  if (caller.session_id) sessions_.touch(*caller.session_id, unix_millis(clock_.now()));
}

Result<Json> WebSessions::logout(const coordinator::Caller& caller, const Request&) {
  if (caller.token) tokens_.denylist.deny(caller.token->id, caller.token->expires_s);
  if (caller.session_id) end(*caller.session_id);
  return Json{{"logged_out", true}};
}

void WebSessions::end(const std::string& session) {
  sessions_.erase(session);
  tokens_.refresh.revoke(session);
  if (ended_) ended_(session);
}

void WebSessions::on_session_end(std::function<void(const std::string& session)> listener) {
  ended_ = std::move(listener);
}

Status WebSessions::admit_refresh(const std::string& address) {
  // FIX V-023: refreshes from one address share its sign-in budget (login-throttle), so the endpoint outside the
  // chain is no way around the limit.
  if (!options_.throttle_refresh) return ok_status();
  const auto decision = state_.logins_per_address->take(address);
  if (decision.allowed) return ok_status();
  return Error{ErrorCode::kRateLimited,
               "too many sign-ins and refreshes from this address; retry after " +
                   std::to_string(decision.retry_after.count()) + " ms"};
}

Result<web::AccessClaims> WebSessions::resume(const std::string& session) {
  const auto found = sessions_.find(session);
  if (!found || found->ended) {
    tokens_.refresh.revoke(session);
    return stage3::unknown_session();
  }
  const auto now = unix_millis(clock_.now());
  if (auto s = stage3::check_session_times(sessions_, found->id, found->created_ms, found->last_seen_ms, times(), now);
      !s) {
    tokens_.refresh.revoke(session);
    return s.error();
  }
  sessions_.touch(session, now);
  web::AccessClaims claims;
  claims.subject = found->agent_id;
  claims.role = found->role;
  claims.session = found->id;
  return claims;
}

Result<Json> WebSessions::session_info(const coordinator::Caller& caller, const Request&) {
  const auto s = caller.session_id ? sessions_.find(*caller.session_id) : std::nullopt;
  if (!s) return stage3::unknown_session();
  return Json{{"session", s->id.substr(0, 12)},
              {"agent_id", s->agent_id},
              {"role", lab::to_string(s->role)},
              {"created_ms", s->created_ms},
              {"last_activity_ms", s->last_seen_ms},
              {"client", s->client_address},
              {"idle_timeout_ms", options_.idle_timeout.count()},
              {"absolute_timeout_ms", options_.absolute_timeout.count()},
              {"token_expires_s", caller.token ? caller.token->expires_s : 0}};
}

void WebSessions::on_role_changed(const std::string& agent_id, Role) {
  // FIX V-011: a role change ends every session of the agent at once; the next sign-in carries the new role.
  for (const auto& s : sessions_.sessions_of_agent(agent_id)) end(s.id);
}

Result<std::string> WebSessions::enroll(const coordinator::Caller& caller, const std::string& agent_id) {
  auto password = accounts_.enroll(agent_id, Role::kWorker);
  if (password) spdlog::info("{} enrolled the worker agent {}", caller.agent_id, agent_id);
  return password;
}

Result<Json> WebSessions::revoke(const coordinator::Caller&, const std::string& fingerprint) {
  // A fingerprint is at least the 12 hex digits list_sessions shows: one session, never a whole table by accident.
  if (fingerprint.size() < 12) return Error{ErrorCode::kInvalidField, "session: give the fingerprint list_sessions shows"};
  int revoked = 0;
  for (const auto& s : sessions_.all()) {
    if (s.id.rfind(fingerprint, 0) != 0) continue;
    end(s.id);
    ++revoked;
    spdlog::info("session {} of {} revoked by an admin", s.id.substr(0, 12), s.agent_id);
  }
  if (revoked == 0) return stage3::unknown_session();
  return Json{{"revoked", revoked}};
}

Result<Json> WebSessions::list_sessions(const coordinator::Caller&) {
  const auto now = unix_millis(clock_.now());
  Json listed = Json::array();
  for (const auto& s : sessions_.all()) {
    listed.push_back(stage3::listed_session(s, times(), now));
  }
  const std::size_t count = listed.size();
  return Json{{"sessions", std::move(listed)}, {"count", count}};
}

}  // namespace lab::stage5

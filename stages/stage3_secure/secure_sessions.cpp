#include "stage3_secure/secure_sessions.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/json_fields.h"
#include "security/session_token.h"
#include "security/signed_request.h"
#include "stage3_secure/session_rules.h"

namespace lab::stage3 {

namespace {

security::RateLimitOptions limits_or(int requests_per_second, security::RateLimitOptions fallback) {
  if (requests_per_second <= 0) return fallback;
  return {.per_second = static_cast<double>(requests_per_second), .burst = 2.0 * requests_per_second};
}

}  // namespace

security::RateLimitOptions SharedControlState::per_agent_limits(int requests_per_second) {
  return limits_or(requests_per_second, kPerAgent);
}
security::RateLimitOptions SharedControlState::per_address_limits(int requests_per_second) {
  return limits_or(requests_per_second, kPerAddress);
}

SharedControlState SharedControlState::in_process(const Clock& clock, security::RateLimitOptions per_agent,
                                                  security::RateLimitOptions per_address) {
  return {std::make_unique<security::NonceCache>(clock), std::make_unique<security::RateLimiter>(clock, per_address),
          std::make_unique<security::RateLimiter>(clock, kLoginsPerAddress),
          std::make_unique<security::RateLimiter>(clock, per_agent), std::make_unique<security::LoginLockout>(clock)};
}


namespace {

Error nonce_refusal(security::NonceVerdict verdict) {
  switch (verdict) {
    case security::NonceVerdict::kReplayed:
      return Error{ErrorCode::kReplayDetected, "this login was already received (nonce reused)"};
    case security::NonceVerdict::kFull:
      return Error{ErrorCode::kRateLimited, "too many requests in flight; retry after 1000 ms"};
    case security::NonceVerdict::kMalformed:
      return Error{ErrorCode::kInvalidField, "auth.nonce must be 1-64 characters"};
    case security::NonceVerdict::kUnavailable:
      return Error{ErrorCode::kInternalError, "the replay check is unavailable; retry shortly"};
    default:
      return Error{ErrorCode::kTimestampOutOfWindow, "auth.created is outside the accepted window"};
  }
}

}  // namespace

SecureSessions::SecureSessions(std::unique_ptr<SecurityState> state, store::SessionStore& sessions,
                               store::AgentStore& agents, SecureSessionOptions options, const Clock& clock)
    : state_(std::move(state)), sessions_(sessions), agents_(agents), options_(options), clock_(clock) {}

Result<SecureSessions::ProvenKey> SecureSessions::verify_key_signature(const Request& request,
                                                                       const coordinator::RequestOrigin& origin,
                                                                       const std::string& agent_id) {
  LAB_ASSIGN_OR_RETURN(auto certificate, fields::required_string(request.payload, "certificate"));
  // FIX V-017: identity is a certificate from the lab CA, and the login is signed with its private key.
  auto agent = state_->keys.admit(certificate, clock_.now());
  if (!agent) return Error{ErrorCode::kAuthFailed, "the certificate was refused: " + agent.error().message};
  if ((*agent)->identity.agent_id != agent_id) {
    return Error{ErrorCode::kAuthFailed, "the certificate names another agent"};
  }
  if (!origin.peer.tls_fingerprint.empty() && origin.peer.tls_fingerprint != (*agent)->identity.fingerprint) {
    return Error{ErrorCode::kCertificateMismatch, "the certificate is not the one this connection presented"};
  }
  auto auth = security::read_auth_block(request.auth);
  if (!auth) return auth.error();
  auto base = security::signature_base_of(request, *auth);
  if (!base) return base.error();
  if (auth->params.key_id != (*agent)->identity.fingerprint || !(*agent)->key.verify(*base, auth->signature)) {
    return Error{ErrorCode::kSignatureInvalid, "the request is not signed by the certificate's key"};
  }
  return ProvenKey{*agent, auth->params.client, auth->params.nonce, auth->params.created};
}

Result<SecureSessions::ProvenKey> SecureSessions::prove_key(const Request& request,
                                                            const coordinator::RequestOrigin& origin,
                                                            const std::string& agent_id) {
  LAB_ASSIGN_OR_RETURN(auto proven, verify_key_signature(request, origin, agent_id));
  // A login runs before the chain's replay protection (it has no session yet): its nonce is checked here.
  const auto fresh =
      state_->nonces->check_and_remember(proven.agent->identity.fingerprint, proven.nonce, proven.created);
  if (fresh != security::NonceVerdict::kFresh) return nonce_refusal(fresh);
  return proven;
}

Result<Json> SecureSessions::login(const Request& request, const coordinator::RequestOrigin& origin) {
  LAB_ASSIGN_OR_RETURN(auto agent_id, fields::required_string(request.payload, "agent_id"));
  LAB_ASSIGN_OR_RETURN(auto password, fields::required_string(request.payload, "password"));
  // The key proof first: without a lab certificate and its key nobody makes the server hash a password.
  LAB_ASSIGN_OR_RETURN(auto proven, prove_key(request, origin, agent_id));
  const auto account_role = state_->accounts.verify(agent_id, password);
  if (!account_role) {
    state_->lockout->record_failure(agent_id);
    spdlog::warn("login failed for '{}' from {}", agent_id, origin.peer.address);
    return Error{ErrorCode::kAuthFailed, "invalid agent id or password"};
  }
  state_->lockout->record_success(agent_id);
  // FIX V-016: the role comes from the enrolled account (or an admin's later change), never from the request.
  const Role role = agents_.role_or_create(agent_id, *account_role);
  const auto now = unix_millis(clock_.now());
  keep_within_session_cap(sessions_, agent_id, options_.max_sessions_per_agent);

  // FIX V-025: every login gets a fresh id, whatever id the request presented.
  store::SessionRecord record;
  record.agent_id = agent_id;
  record.role = role;
  record.created_ms = record.last_seen_ms = now;
  record.client_address = origin.peer.address;
  record.tls_fingerprint = proven.agent->identity.fingerprint;
  record.client_name = proven.client;
  const security::SessionToken token = insert_with_fresh_id(sessions_, record);
  spdlog::info("login: {} ({}) from {}, session {}", agent_id, lab::to_string(role), origin.peer.address,
               record.id.substr(0, 12));
  return Json{{"session_id", token.to_wire()},
              {"agent_id", agent_id},
              {"role", lab::to_string(role)},
              {"idle_timeout_ms", options_.idle_timeout.count()},
              {"absolute_timeout_ms", options_.absolute_timeout.count()},
              {"expires_at_ms", now + options_.absolute_timeout.count()}};
}

Result<coordinator::Caller> SecureSessions::authenticate(const Request& request, const coordinator::RequestOrigin&) {
  // FIX V-001: the validation order — unknown, absolute lifetime, idle — each with its own code.
  if (!request.session_id) return Error{ErrorCode::kAuthRequired, "log in first: this operation needs a session"};
  auto token = security::SessionToken::from_wire(*request.session_id);
  if (!token) return unknown_session();
  const security::SessionIdHash id = token->hash();
  auto found = sessions_.summary(id);  // one lookup; the bindings come shared, not copied
  if (!found) return unknown_session();
  if (auto s = check_session_times(sessions_, id.to_hex(), found->created_ms, found->last_seen_ms,
                                   {options_.idle_timeout, options_.absolute_timeout}, unix_millis(clock_.now()));
      !s) {
    return s.error();
  }
  return coordinator::Caller{found->binding->agent_id, found->role, id.to_hex(), true, id, std::move(found->binding)};
}

void SecureSessions::on_accepted(const coordinator::Caller& caller) {
  if (caller.session_hash) sessions_.touch_hashed(*caller.session_hash, unix_millis(clock_.now()));
}

void SecureSessions::end_session(const coordinator::Caller& caller) {
  if (caller.session_id) sessions_.erase(*caller.session_id);
}

Result<Json> SecureSessions::logout(const coordinator::Caller& caller, const Request&) {
  // FIX V-006: logout deletes the session at once.
  end_session(caller);
  return Json{{"logged_out", true}};
}

Result<Json> SecureSessions::session_info(const coordinator::Caller& caller, const Request&) {
  const auto s = caller.session_id ? sessions_.find(*caller.session_id) : std::nullopt;
  if (!s) return unknown_session();
  return Json{{"session", s->id.substr(0, 12)},
              {"agent_id", s->agent_id},
              {"role", lab::to_string(s->role)},
              {"created_ms", s->created_ms},
              {"last_activity_ms", s->last_seen_ms},
              {"client", s->client_address},
              {"client_name", s->client_name},
              {"certificate", s->tls_fingerprint.substr(0, 16)},
              {"idle_timeout_ms", options_.idle_timeout.count()},
              {"absolute_timeout_ms", options_.absolute_timeout.count()}};
}

void SecureSessions::on_role_changed(const std::string& agent_id, Role) {
  // FIX V-011: a role change ends every session of the agent at once; the next login carries the new role.
  for (const auto& s : sessions_.sessions_of_agent(agent_id)) sessions_.erase(s.id);
}

}  // namespace lab::stage3

namespace lab::stage3 {

Result<Json> SecureSessions::list_sessions(const coordinator::Caller&) {
  // Session monitoring: who is logged in, from where, with which certificate and client, and how recently active.
  // A session is named by a fingerprint of its stored hash: the listing gives nobody a usable id.
  const auto now = unix_millis(clock_.now());
  Json listed = Json::array();
  for (const auto& s : sessions_.all()) {
    Json entry = listed_session(s, {options_.idle_timeout, options_.absolute_timeout}, now);
    entry["certificate"] = s.tls_fingerprint.substr(0, 16);
    listed.push_back(std::move(entry));
  }
  const std::size_t count = listed.size();
  return Json{{"sessions", std::move(listed)}, {"count", count}};
}

Result<Json> SecureSessions::migrate(const coordinator::Caller& caller, const Request& request,
                                     const coordinator::RequestOrigin& origin) {
  const auto found = caller.session_id ? sessions_.find(*caller.session_id) : std::nullopt;
  if (!found) return unknown_session();
  // The session moves only after the agent proves its key again, here and now: the request carries the agent's
  // certificate and is signed with that certificate's key (the chain's replay protection has already checked its
  // nonce), and it is the certificate the session was issued to and this connection presented.
  LAB_ASSIGN_OR_RETURN(auto proven, verify_key_signature(request, origin, found->agent_id));
  if (proven.agent->identity.fingerprint != found->tls_fingerprint) {
    return Error{ErrorCode::kCertificateMismatch, "this session was issued to another certificate"};
  }
  // A new id for the new connection (the old one ends now), bound to where the request came from. The session
  // keeps its creation time: a migration never extends the absolute lifetime.
  store::SessionRecord moved = *found;
  moved.client_address = origin.peer.address;
  moved.client_name = proven.client;
  moved.last_seen_ms = unix_millis(clock_.now());
  const security::SessionToken token = insert_with_fresh_id(sessions_, moved);
  sessions_.erase(found->id);
  spdlog::info("session of {} migrated from {} to {}, now {}", found->agent_id, found->client_address,
               origin.peer.address, moved.id.substr(0, 12));
  return Json{{"session_id", token.to_wire()},
              {"agent_id", moved.agent_id},
              {"role", lab::to_string(moved.role)},
              {"client", moved.client_address},
              {"expires_at_ms", moved.created_ms + options_.absolute_timeout.count()}};
}

}  // namespace lab::stage3
